// The data source interface: where schedules and box scores come from.
// The simulated league implements it today; a live NBA feed (through the worker) plugs in later.
import type { Game, IsoDate, Player, PlayerGameLog, Team } from '../domain/types';

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
  /** The first date the app should backfill so that `today` has enough history to project from. */
  historyStart(today: IsoDate): IsoDate;
}
