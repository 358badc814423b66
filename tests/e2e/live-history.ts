// Shared by the live-data e2e specs: the game day of the NBA fixtures and a season CSV of earlier meetings.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../fixtures/nba/nba-cdn/', import.meta.url));
/** 10:00 in New York on 2024-01-11: the fixtures' two games that day have not started. */
export const GAME_DAY_MORNING = new Date('2024-01-11T15:00:00Z');

interface BoxPlayer { personId: number; name: string }
interface BoxTeam { teamTricode: string; players: BoxPlayer[] }

/** A season-file CSV with two earlier meetings for the day's players (made-up numbers), as a user would import. */
export async function earlierHistoryCsv(): Promise<string> {
  const rows = ['season,game_id,game_date,player_id,player_name,team_id,team,opponent,home_away,wl,played,min,pts,reb,ast,fg3m'];
  const games = [
    ['0022300511', '0022300391', '2024-01-02'],
    ['0022300512', '0022300392', '2024-01-02'],
    ['0022300511', '0022300451', '2024-01-06'],
    ['0022300512', '0022300452', '2024-01-06'],
  ];
  for (const [source, id, date] of games) {
    const box = JSON.parse(await readFile(`${FIXTURES}boxscore_${source}.json`, 'utf8')) as { game: { homeTeam: BoxTeam; awayTeam: BoxTeam } };
    const { homeTeam: home, awayTeam: away } = box.game;
    for (const [team, opp, ha] of [[home, away, 'H'], [away, home, 'A']] as const) {
      team.players.slice(0, 9).forEach((p, i) => {
        const pts = 4 + ((p.personId * 7 + Number(id)) % 23);
        rows.push(`2023-24,${id},${date},${p.personId},${p.name},1,${team.teamTricode},${opp.teamTricode},${ha},W,1,${34 - i * 2},${pts},4,3,${pts % 4}`);
      });
    }
  }
  return rows.join('\n');
}

