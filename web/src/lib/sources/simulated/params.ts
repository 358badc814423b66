// Parameters of the simulated league.
// Fitted by `npx tsx scripts/fit-sim-params.ts` on the real 2022-23 and 2023-24 NBA regular-season box
// scores (2,460 games, ~52,000 player lines); only the resulting numbers live here.
// How each was fitted:
// - teamPoints: mean/SD over all team-games; paceCorrelation = corr(home points, away points).
// - homeCourt: mean home margin and home win rate (reference targets for the generator).
// - teamStrength: SD of team-season mean points for/against, minus the sampling noise (sd²/82).
// - slots: within each team-season, players ranked by total minutes (slot 1 = most); per slot the mean
//   minutes when playing, the appearance rate (games played / team games during the player's stint),
//   the geometric-mean points per minute and the SD of log points per minute.
// - pointsSd / minutesSd: least squares of a player's game-to-game SD on their mean (players with
//   >= 20 games): sd = a + b * mean.
// - roles: rotation players (>= 15 min) split by rebounds minus assists per minute into
//   40% G / 37% F / 23% C; per role the mean rebounds and assists per minute and the share of points from 3s.
// - reference: MAE of a running season average (>= 5 prior games) on the real data, 4.68.

export const TEAM_POINTS = { mean: 114.45, sd: 12.42, paceCorrelation: 0.294 } as const;

export const HOME_COURT = { margin: 2.32, marginSd: 14.69, homeWinRate: 0.562 } as const;

export const TEAM_STRENGTH = { offenseSd: 3.3, defenseSd: 3.64 } as const;

export interface SlotParams {
  meanMinutes: number;
  minutesSpread: number;
  appearance: number;
  pointsPerMinute: number;
  logPpmSd: number;
}

/** Roster slots 1..13, best-used player first. */
export const SLOTS: readonly SlotParams[] = [
  { meanMinutes: 33.9, minutesSpread: 2.6, appearance: 0.93, pointsPerMinute: 0.597, logPpmSd: 0.242 },
  { meanMinutes: 32.1, minutesSpread: 2.6, appearance: 0.899, pointsPerMinute: 0.535, logPpmSd: 0.278 },
  { meanMinutes: 30.3, minutesSpread: 3.7, appearance: 0.892, pointsPerMinute: 0.502, logPpmSd: 0.275 },
  { meanMinutes: 29.0, minutesSpread: 4.1, appearance: 0.882, pointsPerMinute: 0.455, logPpmSd: 0.263 },
  { meanMinutes: 28.7, minutesSpread: 4.1, appearance: 0.846, pointsPerMinute: 0.484, logPpmSd: 0.281 },
  { meanMinutes: 24.8, minutesSpread: 4.4, appearance: 0.857, pointsPerMinute: 0.42, logPpmSd: 0.311 },
  { meanMinutes: 23.0, minutesSpread: 4.1, appearance: 0.835, pointsPerMinute: 0.378, logPpmSd: 0.248 },
  { meanMinutes: 21.2, minutesSpread: 5.3, appearance: 0.823, pointsPerMinute: 0.373, logPpmSd: 0.261 },
  { meanMinutes: 19.1, minutesSpread: 5.6, appearance: 0.77, pointsPerMinute: 0.36, logPpmSd: 0.281 },
  { meanMinutes: 20.3, minutesSpread: 7.4, appearance: 0.77, pointsPerMinute: 0.431, logPpmSd: 0.28 },
  { meanMinutes: 18.1, minutesSpread: 6.2, appearance: 0.723, pointsPerMinute: 0.369, logPpmSd: 0.246 },
  { meanMinutes: 17.0, minutesSpread: 5.8, appearance: 0.689, pointsPerMinute: 0.343, logPpmSd: 0.307 },
  { meanMinutes: 14.6, minutesSpread: 5.6, appearance: 0.63, pointsPerMinute: 0.34, logPpmSd: 0.312 },
];

export const POINTS_SD = { a: 3.425, b: 0.209 } as const;
export const MINUTES_SD = { a: 8.141, b: -0.072 } as const;

export type Role = 'G' | 'F' | 'C';
export const ROLES: Record<Role, { rebPerMin: number; astPerMin: number; threeShareOfPoints: number }> = {
  G: { rebPerMin: 0.123, astPerMin: 0.151, threeShareOfPoints: 0.403 },
  F: { rebPerMin: 0.166, astPerMin: 0.082, threeShareOfPoints: 0.413 },
  C: { rebPerMin: 0.292, astPerMin: 0.068, threeShareOfPoints: 0.179 },
};
/** 13-man roster make-up matching the 40/37/23 role split. */
export const ROSTER_ROLES: readonly Role[] = ['G', 'G', 'G', 'G', 'G', 'F', 'F', 'F', 'F', 'F', 'C', 'C', 'C'];

// Not fitted, chosen by hand and checked against the targets on generated data
// (tests/unit/simulated-league.test.ts):
/** Share of a slot's absences that are multi-day injuries rather than one-game coach's decisions. */
export const INJURY_SHARE = { rotation: 0.6, bench: 0.2 } as const;
/** Injury spells last this many days (absences then cluster, as real ones do). */
export const INJURY_SPELL_DAYS = 7;
/** Form swings: log SD of a player's scoring multiplier, redrawn every FORM_BLOCK_DAYS days. */
export const FORM_SD = 0.15;
export const FORM_BLOCK_DAYS = 14;
/** Points added per overtime period, per team. */
export const OVERTIME_POINTS = { mean: 10.5, sd: 3 } as const;
/** Scales the per-game scoring-share noise so the players' points SD lands on POINTS_SD. */
export const SHARE_NOISE_SCALE = 1.08;
/** Games per day (5..9) and their weights; mean 7.35 games => each team plays ~every other day. */
export const GAMES_PER_DAY: readonly [number, number][] = [
  [5, 0.1],
  [6, 0.15],
  [7, 0.25],
  [8, 0.3],
  [9, 0.2],
];
