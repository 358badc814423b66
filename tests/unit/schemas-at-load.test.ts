import { describe, expect, it, vi } from 'vitest';

// Building zod schemas was most of a cold start's script time (each schema builds its methods and checks), so every
// module-scope schema is a z.lazy, built on its first parse. This keeps a new eager one from slipping back in: while
// the app's modules load, nothing of zod's is used but z.lazy (and z.config, once, by zod-config.ts).
const used = vi.hoisted(() => ({ loading: false, names: new Set<string>() }));
vi.mock('zod', async (importOriginal) => {
  const actual = await importOriginal<typeof import('zod')>();
  // Read while modules load without building anything: the bindings themselves, zod-config's one call, module interop.
  const NOT_SCHEMAS = new Set(['z', 'default', 'config', 'then', '__esModule']);
  const note = (name: string) => {
    if (used.loading) used.names.add(name);
  };
  // A lazy schema's own methods (.optional(), .array(), …) called while loading build a schema too.
  const lazy = (...args: Parameters<typeof actual.z.lazy>) =>
    new Proxy(actual.z.lazy(...args), {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (typeof key === 'string' && typeof value === 'function') note(`lazy().${key}`);
        return value;
      },
    });
  const watched = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(t, key, receiver) {
        if (key === 'lazy') return lazy;
        if (typeof key === 'string' && !NOT_SCHEMAS.has(key)) note(key);
        return Reflect.get(t, key, receiver);
      },
    });
  const z = watched(actual.z);
  // The module's own exports too (import * as zod from 'zod'; import { object } from 'zod').
  return watched({ ...actual, z, default: z });
});

// Made by the build (vite.config.ts); not a schema.
vi.mock('virtual:nba-daily/empty-database', () => ({ default: '' }));

// Every module of the app outside components (a .svelte.ts module needs the Svelte compiler, and pwa/ is made of
// them and the service worker's registration; those build no schema) and worker entries (they answer messages from
// the moment they load; what they run is imported from modules checked here).
const modules = import.meta.glob(['../../web/src/**/*.ts', '!../../web/src/**/*.svelte.ts', '!../../web/src/lib/pwa/**', '!../../web/src/**/*.d.ts', '!../../web/src/**/*.worker.ts', '!../../web/src/main.ts', '!../../web/src/early.ts']);

describe('zod schemas at module load', () => {
  it('the app modules build none while they load', async () => {
    expect(Object.keys(modules).length).toBeGreaterThan(50);
    used.loading = true;
    try {
      for (const load of Object.values(modules)) await load();
    } finally {
      used.loading = false;
    }
    expect([...used.names]).toEqual([]);
  });

  it('builds a schema on its first parse, with the same checks', async () => {
    const { GameWire } = await import('../../web/src/lib/sources/live/wire');
    const game = { id: '0022500001', date: '2026-01-10', tipoff: '2026-01-11T00:30:00Z', homeTeamId: 'BOS', awayTeamId: 'NYK', status: 'scheduled', homeScore: null, awayScore: null };
    expect(GameWire.safeParse(game).success).toBe(true);
    expect(GameWire.safeParse({ ...game, awayTeamId: 'BOS' }).error?.issues[0].message).toBe('a team cannot play itself');
  });
});
