// League-wide team scoring, the baseline for opponent-defence and pace adjustments.
import { seasonOf } from '../domain/dates';
import type { Game, IsoDate } from '../domain/types';

export interface TeamTotals {
  games: number;
  pointsFor: number;
  pointsAgainst: number;
}

export interface LeagueContext {
  leaguePointsPerTeamGame: number;
  teams: Map<string, TeamTotals>;
}

/** Used before a season has any finals: a typical modern NBA team scores about this much. */
export const DEFAULT_POINTS_PER_TEAM_GAME = 114.5;

/** Team totals from final games of `beforeDate`'s season played strictly before it (no look-ahead). */
export function buildLeagueContext(finalGames: Game[], beforeDate: IsoDate): LeagueContext {
  const season = seasonOf(beforeDate);
  const teams = new Map<string, TeamTotals>();
  for (const g of finalGames) {
    if (g.status !== 'final' || g.date >= beforeDate || seasonOf(g.date) !== season) continue;
    if (g.homeScore === null || g.awayScore === null) continue;
    addGameToTeams(teams, g.homeTeamId, g.awayTeamId, g.homeScore, g.awayScore);
  }
  return leagueContextFromTeams(teams);
}

/** Add one final game to running team totals (the incremental form used by the backtest walk). */
export function addGameToTeams(teams: Map<string, TeamTotals>, homeTeamId: string, awayTeamId: string, homeScore: number, awayScore: number): void {
  const add = (id: string, pf: number, pa: number) => {
    const t = teams.get(id) ?? { games: 0, pointsFor: 0, pointsAgainst: 0 };
    t.games++;
    t.pointsFor += pf;
    t.pointsAgainst += pa;
    teams.set(id, t);
  };
  add(homeTeamId, homeScore, awayScore);
  add(awayTeamId, awayScore, homeScore);
}

/** The context for a day from the season's team totals so far (the map is shared, not copied). */
export function leagueContextFromTeams(teams: Map<string, TeamTotals>): LeagueContext {
  let points = 0;
  let teamGames = 0;
  for (const t of teams.values()) {
    points += t.pointsFor;
    teamGames += t.games;
  }
  return { leaguePointsPerTeamGame: teamGames > 0 ? points / teamGames : DEFAULT_POINTS_PER_TEAM_GAME, teams };
}
