// The game model's team strength adjusted for who is out (v3). Elo learns a team's strength from the
// lineups it has been playing; tonight's lineup differs when a regular is out (or back). Each player's
// value is his own projected points above what a replacement player scores in the same minutes; a
// team's lineup change is the sum of value × (chance of playing tonight − share of the team's last
// TYPICAL_GAMES games he played). The home margin moves by weight × (home change − away change).
// Pure; fitted on 2022-23 (the backtest walks it in both availability modes).

export interface LineupParams {
  /** Points of home margin per point of lineup value change (0 = Elo alone). */
  weight: number;
  /** Points per minute of the player who takes a missing player's minutes. */
  replacementRate: number;
}

export const LINEUP_PARAMS: Readonly<LineupParams> = Object.freeze({ weight: 0.25, replacementRate: 0.45 });

export interface LineupPlayer {
  /** Own points before the team step (detail.ownPoints) and own minutes (detail.ownMinutes). */
  ownPoints: number;
  ownMinutes: number;
  /** Chance of playing tonight, 0..1. */
  tonight: number;
  /** Share of the team's recent games he played, 0..1. */
  typical: number;
}

/** A player's value to the lineup: points above a replacement in his minutes (never below 0). */
export function playerValue(ownPoints: number, ownMinutes: number, p: Readonly<LineupParams> = LINEUP_PARAMS): number {
  return Math.max(0, ownPoints - p.replacementRate * ownMinutes);
}

/** Tonight's lineup value minus the lineup the team has been playing (negative: someone is out). */
export function lineupChange(players: readonly LineupPlayer[], p: Readonly<LineupParams> = LINEUP_PARAMS): number {
  let d = 0;
  for (const x of players) d += (x.tonight - x.typical) * playerValue(x.ownPoints, x.ownMinutes, p);
  return d;
}

/** Points added to the home margin for the two lineups' changes. */
export function lineupMarginAdjustment(homeChange: number, awayChange: number, p: Readonly<LineupParams> = LINEUP_PARAMS): number {
  return p.weight * (homeChange - awayChange);
}
