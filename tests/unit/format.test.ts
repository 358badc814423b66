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
