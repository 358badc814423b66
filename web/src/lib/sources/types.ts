// The data source interface: where schedules and box scores come from.
// The simulated league implements it today; a live NBA feed (through the worker) plugs in later.
import type { AvailabilityStatus, Game, IsoDate, Player, PlayerGameLog, Team } from '../domain/types';
import type { MarketLine } from '../market';

/** Tonight's injury/inactive report and betting lines for a day (live data only). */
export interface DayReports {
  /** playerId: NBA.com id, or espn-<id> for a player the worker could not match (the app matches by team and name). */
  availability: { playerId: string; name: string; teamId: string; status: AvailabilityStatus }[];
  market: MarketLine[];
  /** Why a part is missing (the slate then falls back to the guess from recent games / shows no market). */
  errors: string[];
  /**
   * When each part was fetched, and whether it is the copy kept on this device (the fetch failed, or has not
   * answered yet); null for a part there is none of.
   */
  asOf?: { availability: ReportAge | null; market: ReportAge | null };
}

export interface ReportAge {
  fetchedAt: number;
  kept: boolean;
}

/** Everything a source knows about one calendar day, as of a given instant. */
export interface DayData {
  date: IsoDate;
  games: Game[];
  /** Rosters of the teams playing that day (players the app can project). */
  players: Player[];
  /** Box-score lines, only for games that are final (DNP players included, `played: false`). */
  logs: PlayerGameLog[];
}

export interface DataSource {
  readonly id: string;
  readonly label: string;
  /** True when the games are generated, not real: the UI must say so. */
  readonly simulated: boolean;
  teams(): Promise<Team[]>;
  /** The day's slate and results as they stand at `now` (status follows the clock). */
  day(date: IsoDate, now: Date): Promise<DayData>;
  /** The day's injury report and market, where the source has them (a part that cannot be fetched: the kept copy). */
  reports?(date: IsoDate): Promise<DayReports>;
  /** Only the copy of the day's reports kept on this device, without the network; null when nothing is kept. */
  keptReports?(date: IsoDate): Promise<DayReports | null>;
  /** The first date the app should backfill so that `today` has enough history to project from. */
  historyStart(today: IsoDate): IsoDate;
}
