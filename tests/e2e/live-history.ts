// Shared by the live-data e2e specs: the game day of the NBA fixtures, a season CSV of earlier meetings, and the
// real worker on Node in front of the fixture upstreams with the app connected to it.
import { readFile, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { expect, type Page, type TestInfo } from '@playwright/test';
import { startNodeServer } from '../../presign-worker/src/node-server';
import { mintToken } from '../../scripts/mint-token';
import { localRgwWorkerEnv } from '../../scripts/rgw/local-rgw';
import { startNbaFixtureServer } from '../fixtures/nba/server';
import { E2E_BUCKET } from './bucket';

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


/**
 * Starts the fixture upstreams (scoreboard "before") and the real worker against them and the local RGW, then opens
 * the app connected to that worker on the fixtures' game-day morning. `name` keeps each spec's namespace and prefix
 * apart. Call `close()` in a finally block.
 */
export async function openLiveApp(page: Page, testInfo: TestInfo, name: string) {
  const upstream = await startNbaFixtureServer();
  upstream.scoreboard = 'before';
  const minted = mintToken(`e2e-${name}-${Date.now().toString(36)}`);
  const origin = new URL(testInfo.project.use.baseURL!).origin;
  const worker = await startNodeServer(
    {
      ...localRgwWorkerEnv(E2E_BUCKET), S3_PREFIX: `nba-daily-${name}/`,
      ALLOWED_ORIGINS: origin, ACCESS_TOKENS: minted.accessTokensEntry, RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_BURST: '100000',
      NBA_CDN_BASE: upstream.url, ESPN_BASE: upstream.url,
    },
    0,
  );
  const close = async () => {
    // As the fixture server does: a request the page still has open (a refresh, a sync) would hold close() until
    // the test's timeout, after every assertion had passed.
    await new Promise<void>((resolve) => {
      const server = worker.server as Server;
      server.closeAllConnections();
      server.close(() => resolve());
    });
    await upstream.close();
  };
  try {
    await page.clock.install({ time: GAME_DAY_MORNING });
    const link = Buffer.from(JSON.stringify({ workerUrl: worker.url, token: minted.token })).toString('base64url');
    await page.goto(`/#connect=${link}`);
    await expect(page.getByTestId('game-card').first()).toBeVisible({ timeout: 30_000 });
  } catch (error) {
    await close();
    throw error;
  }
  return { upstream, close };
}

/** Imports earlierHistoryCsv in Settings as a person would, switches to live data and opens Today's Games. */
export async function importHistoryAndGoLive(page: Page, testInfo: TestInfo): Promise<void> {
  await page.getByRole('link', { name: 'Settings' }).click();
  const csv = testInfo.outputPath('history.csv');
  await writeFile(csv, await earlierHistoryCsv());
  await page.getByLabel('Import game history').setInputFiles(csv);
  await expect(page.getByText(/Imported \d+ box-score lines in 4 games over 2 days; 0 rejected/)).toBeVisible();
  await page.getByLabel(/Live NBA/).check();
  await page.getByRole('link', { name: "Today's Games" }).click();
}
