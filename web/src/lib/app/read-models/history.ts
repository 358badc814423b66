// What History shows: one page of logged predictions for a filter and sort, with the totals the pager needs.
import type { Database } from 'sql.js';
import type { IsoDate, Prediction, Team } from '../../domain/types';
import { listTeams } from '../../db/league-repo';
import { countPredictions, listPredictions, type PredictionFilter, type PredictionSort, type PredictionSortKey } from '../../db/predictions-repo';
import { calibratedConfidence, CONFIDENCE_BANDS, maxSpreadFor } from '../../metrics/confidence';

export const HISTORY_PAGE_SIZE = 25;

/** The filter as a person sets it (and as it lives in the URL). */
export interface HistoryFilter {
  from?: IsoDate;
  to?: IsoDate;
  player?: string;
  team?: string;
  result?: 'hit' | 'miss' | 'dnp' | 'pending';
  confidence?: 'low' | 'medium' | 'high';
}

export interface HistoryRow extends Prediction {
  /** Calibrated confidence (chance within 5 points), as on Today's Games. */
  shownConfidence: number;
}

export interface HistoryView {
  rows: HistoryRow[];
  total: number;
  page: number;
  pages: number;
  teams: Team[];
}

/** The repository filter for a History filter: a confidence band becomes a band-width range. */
export function toPredictionFilter(filter: HistoryFilter, sourceId: string): PredictionFilter {
  const band = CONFIDENCE_BANDS.find((b) => b.id === filter.confidence);
  return {
    from: filter.from || undefined,
    to: filter.to || undefined,
    player: filter.player,
    team: filter.team || undefined,
    result: filter.result,
    // Higher confidence = narrower band: confidence ≥ min ⇔ spread ≤ maxSpreadFor(min).
    spread: band ? { max: maxSpreadFor(band.min), min: band.max > 1 ? undefined : maxSpreadFor(band.max) } : undefined,
    sourceId,
  };
}

export function historyView(db: Database, input: { filter: HistoryFilter; page: number; sort?: PredictionSort; sourceId: string }): HistoryView {
  const filter = toPredictionFilter(input.filter, input.sourceId);
  const total = countPredictions(db, filter);
  const pages = Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE));
  const page = Math.min(Math.max(0, Math.floor(input.page) || 0), pages - 1);
  const rows = listPredictions(db, filter, { limit: HISTORY_PAGE_SIZE, offset: page * HISTORY_PAGE_SIZE }, input.sort).map((p) => ({
    ...p,
    shownConfidence: calibratedConfidence(p),
  }));
  return { rows, total, page, pages, teams: listTeams(db) };
}

export const HISTORY_SORT_KEYS: readonly PredictionSortKey[] = ['date', 'player', 'team', 'projected', 'actual', 'error', 'confidence'];
