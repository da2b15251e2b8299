import { describe, expect, it } from 'vitest';
import { uuidv7 } from './ids.js';

describe('uuidv7', () => {
  it('sorts in the order ids were made, also within one millisecond and on a stopped clock', () => {
    const at = Date.parse('2026-11-22T01:00:00.000Z');
    const ids = Array.from({ length: 5000 }, () => uuidv7(at));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // A clock set back does not make an earlier-sorting id.
    const later = uuidv7(at - 60_000);
    expect(later > (ids.at(-1) ?? '')).toBe(true);
  });
});
