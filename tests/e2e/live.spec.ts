// Live NBA data end to end: the real worker fetches from a local stand-in for the NBA CDN and ESPN (the
// project's fixtures), the app backfills through it, imports older history, logs a slate, and scores it
// once the games go final upstream.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { startNodeServer } from '../../presign-worker/src/node-server';
import { mintToken } from '../../scripts/mint-token';
import { LOCAL_RGW } from '../../scripts/rgw/local-rgw';
import { startNbaFixtureServer } from '../fixtures/nba/server';
import { logSlate, totalLogged } from './support';

const FIXTURES = fileURLToPath(new URL('../fixtures/nba/nba-cdn/', import.meta.url));
/** 10:00 in New York on 2024-01-11: the fixtures' two games that day have not started. */
const GAME_DAY_MORNING = new Date('2024-01-11T15:00:00Z');

interface BoxPlayer { personId: number; name: string }
interface BoxTeam { teamTricode: string; players: BoxPlayer[] }

/** A season-file CSV with two earlier meetings for the day's players (made-up numbers), as a user would import. */
async function earlierHistoryCsv(): Promise<string> {
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

test('backfill through the worker, import history, log a live slate, and see actuals when the games go final', async ({ page }, testInfo) => {
  const upstream = await startNbaFixtureServer();
  upstream.scoreboard = 'before';
  const minted = mintToken(`e2e-live-${Date.now().toString(36)}`);
  const origin = new URL(testInfo.project.use.baseURL!).origin;
  const worker = await startNodeServer(
    {
      S3_ENDPOINT: LOCAL_RGW.endpoint, S3_REGION: LOCAL_RGW.region, S3_BUCKET: process.env.E2E_BUCKET ?? 'nba-daily-e2e', S3_PREFIX: 'nba-daily/',
      S3_ACCESS_KEY_ID: LOCAL_RGW.accessKeyId, S3_SECRET_ACCESS_KEY: LOCAL_RGW.secretAccessKey, S3_FORCE_PATH_STYLE: 'true',
      ALLOWED_ORIGINS: origin, ACCESS_TOKENS: minted.accessTokensEntry, RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_BURST: '100000',
      NBA_CDN_BASE: upstream.url, ESPN_BASE: upstream.url,
    },
    0,
  );
  try {
    await page.clock.install({ time: GAME_DAY_MORNING });
    const link = Buffer.from(JSON.stringify({ workerUrl: worker.url, token: minted.token })).toString('base64url');
    await page.goto(`/#connect=${link}`);
    await expect(page.getByTestId('game-card').first()).toBeVisible({ timeout: 30_000 });

    // Older history the person already has, then switch to live data: the backfill runs through the worker.
    await page.getByRole('link', { name: 'Settings' }).click();
    const csv = testInfo.outputPath('history.csv');
    await writeFile(csv, await earlierHistoryCsv());
    await page.getByLabel('Import game history').setInputFiles(csv);
    await expect(page.getByText(/Imported \d+ box-score lines in 4 games over 2 days; 0 rejected/)).toBeVisible();
    await page.getByLabel(/Live NBA/).check();
    await page.getByRole('link', { name: "Today's Games" }).click();
    await expect(page.getByTestId('source-status')).toContainText('Live NBA');
    await expect(page.getByText('simulated league')).toHaveCount(0);
    await expect(page.getByTestId('game-card')).toHaveCount(2, { timeout: 60_000 });
    await expect(page.getByRole('button', { name: 'Log predictions' })).toBeEnabled({ timeout: 60_000 });
    await expect(page.getByTestId('game-card').first()).toContainText('New Orleans Pelicans');
    expect(upstream.totalHits()).toBeGreaterThan(0);

    expect(await logSlate(page)).toMatch(/Logged \d+ new .* for 2 games/);
    const logged = await totalLogged(page);
    expect(logged).toBeGreaterThan(20);

    // Tonight the games finish upstream; the app's next refresh stores the box scores and scores the slate.
    upstream.scoreboard = 'after';
    await page.clock.fastForward('14:00:00');
    await page.getByRole('link', { name: 'Accuracy' }).click();
    await expect(page.getByTestId('accuracy-count')).not.toHaveText('0', { timeout: 30_000 });
    const scored = Number(await page.getByTestId('accuracy-count').textContent());
    expect(scored).toBeGreaterThan(10);
    expect(scored).toBeLessThanOrEqual(logged); // DNPs are left out
    await expect(page.getByText('Games scored')).toBeVisible();
    await page.getByRole('link', { name: 'History' }).click();
    await expect(page.getByTestId('prediction-row').first()).not.toContainText('pending');

    // Upstream down: the stored slate stays on screen and the failure is said plainly.
    upstream.override('/static/json/*', { status: 500 });
    upstream.override('/apis/*', { status: 500 });
    await page.getByRole('link', { name: "Today's Games" }).click();
    await page.getByLabel('Date').fill('2024-04-14'); // a day never fetched, whose game needs the live scoreboard
    await expect(page.getByText(/Live data for 2024-04-14 is unavailable \(502.*Showing what is stored/)).toBeVisible({ timeout: 30_000 });
    await page.getByLabel('Date').fill('2024-01-11'); // the logged day, now final, is still all there
    await expect(page.getByTestId('game-card')).toHaveCount(2);
    await expect(page.getByTestId('game-card').first()).toContainText('Final');
  } finally {
    await new Promise<void>((resolve) => worker.server.close(() => resolve()));
    await upstream.close();
  }
});
