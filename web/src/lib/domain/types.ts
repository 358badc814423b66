// The domain model shared by the database, the engine, the data sources and the UI.
// Pure types: no browser or network imports, so Node tests and CLIs use the same definitions.

/** A calendar date in the league's local sense, `YYYY-MM-DD`. */
export type IsoDate = string;

/** Team ids are NBA.com tricodes (`BOS`, `GSW`, ...). */
export interface Team {
  id: string;
  city: string;
  name: string;
  conference: 'East' | 'West';
}

export interface Player {
  id: string;
  name: string;
  teamId: string;
  position: string;
}

export type GameStatus = 'scheduled' | 'live' | 'final' | 'postponed';

export interface Game {
  id: string;
  date: IsoDate;
  /** Tip-off instant, ISO 8601 in UTC. */
  tipoff: string;
  homeTeamId: string;
  awayTeamId: string;
  status: GameStatus;
  homeScore: number | null;
  awayScore: number | null;
  /** While live, when the feed has them: the period (1–4, 5+ = overtime) and the game clock ("4:32"). */
  period?: number | null;
  clock?: string | null;
}

/** One player's line in one game. A DNP is a row with `played: false` and zeros. */
export interface PlayerGameLog {
  gameId: string;
  playerId: string;
  teamId: string;
  opponentId: string;
  date: IsoDate;
  home: boolean;
  played: boolean;
  starter: boolean;
  minutes: number;
  points: number;
  rebounds: number;
  assists: number;
  threesMade: number;
  dnpReason: string | null;
}

/** What the engine used to reach a projection; logged with it so the UI can explain it. */
export interface ProjectionFactors {
  gamesPlayed: number;
  seasonAvg: number | null;
  last3Avg: number | null;
  last5Avg: number | null;
  vsOppAvg: number | null;
  vsOppGames: number;
  oppDefFactor: number;
  paceFactor: number;
  home: boolean;
  restDays: number | null;
}

/** Row-level sync metadata: every synced row carries it so two devices can merge without loss. */
export interface RowVersion {
  /** Milliseconds since the epoch when this device last changed the row. */
  updatedAt: number;
  deviceId: string;
  deleted: boolean;
}

/** A player's status on the injury/inactive report when the prediction was made (null: no report entry). */
export type AvailabilityStatus = 'out' | 'doubtful' | 'questionable' | 'probable' | 'available';

/** The betting market for a game, as the app shows and logs it next to the engine's pick. */
export interface MarketView {
  /** Home win probability from the moneylines with the bookmaker's margin (vig) removed; null without moneylines. */
  homeWinProb: number | null;
  /** Expected home margin: minus the home spread. */
  homeMargin: number | null;
  homeSpread: number | null;
  total: number | null;
  provider: string;
}

export interface Prediction extends RowVersion {
  playerId: string;
  gameDate: IsoDate;
  predictionDate: IsoDate;
  gameId: string;
  playerName: string;
  teamId: string;
  opponentId: string;
  projectedPoints: number;
  floor: number;
  ceiling: number;
  /** 0..1 */
  confidence: number;
  factors: ProjectionFactors;
  modelVersion: string;
  actualPoints: number | null;
  actualMinutes: number | null;
  didPlay: boolean | null;
  /** actual - projected */
  error: number | null;
  absError: number | null;
  inRange: boolean | null;
  /** The player's report status when the prediction was made (v3; null: not on the report / no report). */
  availabilityStatus: AvailabilityStatus | null;
}

export interface GamePrediction extends RowVersion {
  gameId: string;
  gameDate: IsoDate;
  predictionDate: IsoDate;
  homeTeamId: string;
  awayTeamId: string;
  homeWinProb: number;
  projectedMargin: number;
  modelVersion: string;
  homeScore: number | null;
  awayScore: number | null;
  homeWon: boolean | null;
  /** The market when the prediction was logged (null fields: no line). Shown beside the engine, never blended. */
  marketHomeWinProb: number | null;
  marketHomeMargin: number | null;
  marketSpread: number | null;
  marketTotal: number | null;
}
