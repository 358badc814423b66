import { describe, expect, it } from 'vitest';
import { timeOfDay } from '../../web/src/lib/ui/format';

describe('timeOfDay', () => {
  it('writes a time as toLocaleTimeString does with hour and minute (one formatter instead of one per call)', () => {
    for (const iso of ['2026-12-03T00:00:00Z', '2026-12-03T02:30:00Z', '2026-06-01T23:05:00Z', '2027-03-14T15:45:00Z']) {
      const at = new Date(iso);
      expect(timeOfDay(at)).toBe(at.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' }));
    }
  });
});

describe('timeOfDay after the time zone changes', () => {
  it('writes times in the new zone (a device that travels with the app open)', () => {
    const zone = process.env.TZ;
    try {
      const at = new Date('2026-12-03T00:30:00Z');
      process.env.TZ = 'America/New_York';
      expect(timeOfDay(at)).toBe(at.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' }));
      process.env.TZ = 'America/Los_Angeles';
      expect(timeOfDay(at)).toBe(at.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' }));
      expect(timeOfDay(at)).not.toBe(new Intl.DateTimeFormat([], { hour: 'numeric', minute: '2-digit', timeZone: 'America/New_York' }).format(at));
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});
