// The 30 NBA teams. Ids are NBA.com tricodes so real feeds and the simulated league share keys.
import type { Team } from './types';

export const TEAMS: readonly Team[] = [
  { id: 'ATL', city: 'Atlanta', name: 'Hawks', conference: 'East' },
  { id: 'BOS', city: 'Boston', name: 'Celtics', conference: 'East' },
  { id: 'BKN', city: 'Brooklyn', name: 'Nets', conference: 'East' },
  { id: 'CHA', city: 'Charlotte', name: 'Hornets', conference: 'East' },
  { id: 'CHI', city: 'Chicago', name: 'Bulls', conference: 'East' },
  { id: 'CLE', city: 'Cleveland', name: 'Cavaliers', conference: 'East' },
  { id: 'DAL', city: 'Dallas', name: 'Mavericks', conference: 'West' },
  { id: 'DEN', city: 'Denver', name: 'Nuggets', conference: 'West' },
  { id: 'DET', city: 'Detroit', name: 'Pistons', conference: 'East' },
  { id: 'GSW', city: 'Golden State', name: 'Warriors', conference: 'West' },
  { id: 'HOU', city: 'Houston', name: 'Rockets', conference: 'West' },
  { id: 'IND', city: 'Indiana', name: 'Pacers', conference: 'East' },
  { id: 'LAC', city: 'LA', name: 'Clippers', conference: 'West' },
  { id: 'LAL', city: 'Los Angeles', name: 'Lakers', conference: 'West' },
  { id: 'MEM', city: 'Memphis', name: 'Grizzlies', conference: 'West' },
  { id: 'MIA', city: 'Miami', name: 'Heat', conference: 'East' },
  { id: 'MIL', city: 'Milwaukee', name: 'Bucks', conference: 'East' },
  { id: 'MIN', city: 'Minnesota', name: 'Timberwolves', conference: 'West' },
  { id: 'NOP', city: 'New Orleans', name: 'Pelicans', conference: 'West' },
  { id: 'NYK', city: 'New York', name: 'Knicks', conference: 'East' },
  { id: 'OKC', city: 'Oklahoma City', name: 'Thunder', conference: 'West' },
  { id: 'ORL', city: 'Orlando', name: 'Magic', conference: 'East' },
  { id: 'PHI', city: 'Philadelphia', name: '76ers', conference: 'East' },
  { id: 'PHX', city: 'Phoenix', name: 'Suns', conference: 'West' },
  { id: 'POR', city: 'Portland', name: 'Trail Blazers', conference: 'West' },
  { id: 'SAC', city: 'Sacramento', name: 'Kings', conference: 'West' },
  { id: 'SAS', city: 'San Antonio', name: 'Spurs', conference: 'West' },
  { id: 'TOR', city: 'Toronto', name: 'Raptors', conference: 'East' },
  { id: 'UTA', city: 'Utah', name: 'Jazz', conference: 'West' },
  { id: 'WAS', city: 'Washington', name: 'Wizards', conference: 'East' },
];

const BY_ID = new Map(TEAMS.map((t) => [t.id, t]));

export function teamById(id: string): Team | undefined {
  return BY_ID.get(id);
}
