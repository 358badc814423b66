// Fits the simulated league's parameters on real NBA box scores and prints them.
// Usage: npx tsx scripts/fit-sim-params.ts [dir]   (dir defaults to ../shared/data/nba/seasons)
// Only the printed numbers go into web/src/lib/sources/simulated/params.ts; no rows or names are copied.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? '../shared/data/nba/seasons';

type Row = Record<string, string>;
function readCsv(path: string): Row[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const cols = header.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    const row: Row = {};
    cols.forEach((c, i) => (row[c] = cells[i] ?? ''));
    return row;
  });
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
/** Least squares y = a + b x. */
function linfit(xs: number[], ys: number[]): { a: number; b: number } {
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i] - my);
    sxx += (x - mx) ** 2;
  });
  const b = sxy / sxx;
  return { a: my - b * mx, b };
}

const files = readdirSync(dir);
const playerRows = files.filter((f) => f.startsWith('player_games_')).flatMap((f) => readCsv(join(dir, f)));
const gameRows = files.filter((f) => f.startsWith('games_')).flatMap((f) => readCsv(join(dir, f)));

// ---- Team level: points, home edge, pace correlation, spread of team strength.
const teamPts = gameRows.flatMap((g) => [Number(g.home_pts), Number(g.away_pts)]);
const margins = gameRows.map((g) => Number(g.home_pts) - Number(g.away_pts));
const homePts = gameRows.map((g) => Number(g.home_pts));
const awayPts = gameRows.map((g) => Number(g.away_pts));
const corr =
  mean(homePts.map((h, i) => (h - mean(homePts)) * (awayPts[i] - mean(awayPts)))) / (sd(homePts) * sd(awayPts));

// Team-season means of points for / against; subtract sampling noise to get the latent spread.
const teamSeason = new Map<string, { pf: number[]; pa: number[] }>();
for (const g of gameRows) {
  for (const [t, pf, pa] of [
    [g.home_team, g.home_pts, g.away_pts],
    [g.away_team, g.away_pts, g.home_pts],
  ]) {
    const key = `${g.season}|${t}`;
    const e = teamSeason.get(key) ?? { pf: [], pa: [] };
    e.pf.push(Number(pf));
    e.pa.push(Number(pa));
    teamSeason.set(key, e);
  }
}
const within = sd(teamPts);
const latentSd = (means: number[], n: number) => Math.sqrt(Math.max(0, sd(means) ** 2 - within ** 2 / n));
const ts = [...teamSeason.values()];
const offSd = latentSd(ts.map((t) => mean(t.pf)), 82);
const defSd = latentSd(ts.map((t) => mean(t.pa)), 82);

// ---- Player level, grouped by (season, team, player).
interface Stint {
  key: string;
  season: string;
  team: string;
  games: Row[];
}
const stints = new Map<string, Stint>();
for (const r of playerRows) {
  if (r.played !== '1') continue;
  const key = `${r.season}|${r.team}|${r.player_id}`;
  const s = stints.get(key) ?? { key, season: r.season, team: r.team, games: [] };
  s.games.push(r);
  stints.set(key, s);
}
// Team game dates, to count how many team games fell inside a player's stint (handles trades).
const teamDates = new Map<string, string[]>();
for (const g of gameRows) {
  for (const t of [g.home_team, g.away_team]) {
    const key = `${g.season}|${t}`;
    teamDates.set(key, [...(teamDates.get(key) ?? []), g.game_date]);
  }
}

// Roster slots: within each team-season, rank stints by total minutes; slot 1 = most minutes.
const byTeam = new Map<string, Stint[]>();
for (const s of stints.values()) {
  const key = `${s.season}|${s.team}`;
  byTeam.set(key, [...(byTeam.get(key) ?? []), s]);
}
const SLOTS = 13;
const slotStats = Array.from({ length: SLOTS }, () => ({ min: [] as number[], app: [] as number[], lppm: [] as number[] }));
for (const [key, list] of byTeam) {
  const dates = teamDates.get(key) ?? [];
  list
    .map((s) => ({ s, tot: s.games.reduce((a, r) => a + Number(r.min), 0) }))
    .sort((x, y) => y.tot - x.tot)
    .slice(0, SLOTS)
    .forEach(({ s, tot }, i) => {
      const ds = s.games.map((r) => r.game_date).sort();
      const span = dates.filter((d) => d >= ds[0] && d <= ds[ds.length - 1]).length;
      const pts = s.games.reduce((a, r) => a + Number(r.pts), 0);
      slotStats[i].min.push(tot / s.games.length);
      slotStats[i].app.push(s.games.length / Math.max(span, s.games.length));
      if (tot >= 100 && pts > 0) slotStats[i].lppm.push(Math.log(pts / tot));
    });
}

// Game-to-game spread vs the player's mean (players with >= 20 games).
const regular = [...stints.values()].filter((s) => s.games.length >= 20);
const ptsMeans = regular.map((s) => mean(s.games.map((r) => Number(r.pts))));
const ptsSds = regular.map((s) => sd(s.games.map((r) => Number(r.pts))));
const minMeans = regular.map((s) => mean(s.games.map((r) => Number(r.min))));
const minSds = regular.map((s) => sd(s.games.map((r) => Number(r.min))));
const ptsSdFit = linfit(ptsMeans, ptsSds);
const minSdFit = linfit(minMeans, minSds);

// Secondary stats by a role split: guards pass more, centres rebound more. Rotation players only.
const rotation = regular.filter((_, i) => minMeans[i] >= 15);
const rates = rotation.map((s) => {
  const sum = (c: string) => s.games.reduce((a, r) => a + Number(r[c]), 0);
  const min = sum('min');
  return { reb: sum('reb') / min, ast: sum('ast') / min, threeShare: (3 * sum('fg3m')) / Math.max(1, sum('pts')) };
});
// Role score: rebounds minus assists per minute; lowest 40% = G, next 37% = F, top 23% = C.
const sorted = [...rates].sort((x, y) => x.reb - x.ast - (y.reb - y.ast));
const cut1 = Math.floor(sorted.length * 0.4);
const cut2 = Math.floor(sorted.length * 0.77);
const role = (lo: number, hi: number) => {
  const g = sorted.slice(lo, hi);
  return {
    rebPerMin: round(mean(g.map((r) => r.reb))),
    astPerMin: round(mean(g.map((r) => r.ast))),
    threeShareOfPoints: round(mean(g.map((r) => r.threeShare))),
  };
};

// Reference: MAE of the running season average (>= 5 prior games) on the real data.
let absErr = 0;
let n = 0;
for (const s of stints.values()) {
  const g = [...s.games].sort((a, b) => a.game_date.localeCompare(b.game_date));
  let sum = 0;
  g.forEach((r, i) => {
    if (i >= 5) {
      absErr += Math.abs(Number(r.pts) - sum / i);
      n++;
    }
    sum += Number(r.pts);
  });
}

const out = {
  teamPoints: { mean: round(mean(teamPts), 2), sd: round(within, 2), paceCorrelation: round(corr) },
  homeCourt: { margin: round(mean(margins), 2), marginSd: round(sd(margins), 2), homeWinRate: round(mean(margins.map((m) => (m > 0 ? 1 : 0)))) },
  teamStrength: { offenseSd: round(offSd, 2), defenseSd: round(defSd, 2) },
  playersPerTeamGame: round(playerRows.filter((r) => r.played === '1').length / teamPts.length, 2),
  slots: slotStats.map((s) => ({
    meanMinutes: round(mean(s.min), 1),
    minutesSpread: round(sd(s.min), 1),
    appearance: round(mean(s.app)),
    pointsPerMinute: round(Math.exp(mean(s.lppm))),
    logPpmSd: round(sd(s.lppm)),
  })),
  pointsSd: { a: round(ptsSdFit.a), b: round(ptsSdFit.b) },
  minutesSd: { a: round(minSdFit.a), b: round(minSdFit.b) },
  roles: { G: role(0, cut1), F: role(cut1, cut2), C: role(cut2, sorted.length) },
  reference: { seasonAvgMae: round(absErr / n), players: regular.length },
};
console.log(JSON.stringify(out, null, 2));
