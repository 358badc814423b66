// The slate-wide player table: every projected player of the date, sorted and filtered by
// @tanstack/table-core (a headless table: it owns the row models, the component only draws rows).
import {
  createTable, getCoreRowModel, getFilteredRowModel, getSortedRowModel, type ColumnDef, type ColumnFiltersState, type SortingState,
} from '@tanstack/table-core';
import { AVAILABILITY_STATUSES } from '../../engine';
import type { SlatePlayerRow } from './slate';

export type SlateColumnId = 'player' | 'team' | 'opponent' | 'game' | 'projected' | 'range' | 'confidence' | 'minutes' | 'availability' | 'actual';

/** Availability sorts by how likely he plays (out first when ascending, the engine's order); unknown last. */
const AVAILABILITY_ORDER: readonly string[] = AVAILABILITY_STATUSES;

/** One description of the table's columns: header text, whether numeric, the value it sorts by. */
export const SLATE_COLUMNS: readonly { id: SlateColumnId; label: string; numeric: boolean; value: (r: SlatePlayerRow) => string | number | null }[] = [
  { id: 'player', label: 'Player', numeric: false, value: (r) => r.playerName },
  { id: 'team', label: 'Team', numeric: false, value: (r) => r.teamId },
  { id: 'opponent', label: 'Opp', numeric: false, value: (r) => r.opponentId },
  { id: 'projected', label: 'Proj', numeric: true, value: (r) => r.projectedPoints },
  { id: 'range', label: 'Floor–ceiling', numeric: true, value: (r) => r.floor },
  { id: 'confidence', label: 'Conf', numeric: true, value: (r) => r.confidence },
  { id: 'minutes', label: 'Min', numeric: true, value: (r) => r.projectedMinutes },
  { id: 'availability', label: 'Status', numeric: false, value: (r) => (r.availability ? AVAILABILITY_ORDER.indexOf(r.availability) : null) },
  { id: 'actual', label: 'Actual', numeric: true, value: (r) => r.actualPoints },
];

export interface SlateTableState {
  sort: { id: SlateColumnId; desc: boolean } | null;
  search: string;
  team: string;
  game: string;
}

const columns: ColumnDef<SlatePlayerRow>[] = [
  ...SLATE_COLUMNS.map(
    (c): ColumnDef<SlatePlayerRow> => ({
      id: c.id,
      // undefined, not null, so table-core puts missing values (no actual yet, no report) last.
      accessorFn: (r) => c.value(r) ?? undefined,
      sortUndefined: 'last',
      sortingFn: c.numeric || c.id === 'availability' ? 'basic' : 'alphanumeric',
      // Numbers read best biggest first on a first click; names A→Z.
      sortDescFirst: c.numeric,
      filterFn: c.id === 'player' ? 'includesString' : 'equalsString',
    }),
  ),
  { id: 'game', accessorFn: (r) => r.gameId, filterFn: 'equalsString' },
];

/** Rows in display order for the given sort and filters. */
export function slateTableRows(data: SlatePlayerRow[], state: SlateTableState): SlatePlayerRow[] {
  const sorting: SortingState = state.sort ? [{ id: state.sort.id, desc: state.sort.desc }] : [];
  const columnFilters: ColumnFiltersState = [];
  if (state.search.trim()) columnFilters.push({ id: 'player', value: state.search.trim() });
  if (state.team) columnFilters.push({ id: 'team', value: state.team });
  if (state.game) columnFilters.push({ id: 'game', value: state.game });
  const table = createTable<SlatePlayerRow>({
    data,
    columns,
    state: {},
    onStateChange: () => {},
    renderFallbackValue: null,
    getCoreRowModel: getCoreRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
  table.setOptions((prev) => ({ ...prev, state: { ...table.initialState, sorting, columnFilters } }));
  return table.getRowModel().rows.map((r) => r.original);
}
