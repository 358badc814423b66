// The builds a user may still have open in another tab, as they shipped: `git archive` of each commit, kept in
// tests/fixtures/previous-builds/ so the tests that run them need no git history (CI may clone shallow).
// Made with: git archive --format=tar <commit> <paths> | gzip -9n > tests/fixtures/previous-builds/<commit>.tar.gz
//  - 7f7e5fe (stop 13): web, scripts/csp.ts, vite.config.ts, package.json, tsconfig.json (the whole app, to build);
//  - 69d0a8f (stop 14): web/src/lib.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const PREVIOUS_BUILDS = { 'stop 13': '7f7e5fe', 'stop 14': '69d0a8f' } as const;
export type PreviousBuild = (typeof PREVIOUS_BUILDS)[keyof typeof PREVIOUS_BUILDS];

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The commit's files, extracted once under .tmp/<area>/<commit> (inside the repo, so imports of node_modules
 * resolve from this checkout); `marker` is a file that shows the extraction is complete.
 */
export function extractPreviousBuild(commit: PreviousBuild, area: string, marker: string): string {
  const dir = join(repoRoot, '.tmp', area, commit);
  if (existsSync(join(dir, marker))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xzf', join(repoRoot, 'tests', 'fixtures', 'previous-builds', `${commit}.tar.gz`), '-C', dir]);
  if (!existsSync(join(dir, marker))) throw new Error(`${commit}.tar.gz has no ${marker}`);
  return dir;
}
