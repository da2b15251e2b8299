import { describe, expect, it } from 'vitest';
import type { DayWindow, Rotation } from '@opsline/contracts';
import { layerUserAt, onCallAt, shiftIndex, shiftStart, shiftsBetween, type LayerDef, type ScheduleDef } from './rotation.js';
import { instantOf, naiveDateTime } from './zoned-time.js';

const NY = 'America/New_York';
const t = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();
const layer = (userIds: string[], rotation: Rotation, restrictions: DayWindow[] = []): LayerDef => ({ userIds, rotation, restrictions });
const daily = (handoffTime: string, startDate: string): Rotation => ({ type: 'daily', handoffTime, startDate });
const who = (l: LayerDef, tz: string, at: string): string | null => layerUserAt(l, tz, t(at));
const ALL_WEEK = [0, 1, 2, 3, 4, 5, 6];

describe('wall-clock instants', () => {
  it('maps the repeated November hour to its first occurrence and the skipped March hour past the jump', () => {
    expect(iso(instantOf(naiveDateTime('2026-11-01', '01:30'), NY))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(instantOf(naiveDateTime('2026-03-08', '02:30'), NY))).toBe('2026-03-08T07:30:00.000Z');
    expect(iso(instantOf(naiveDateTime('2026-07-01', '09:00'), 'Asia/Shanghai'))).toBe('2026-07-01T01:00:00.000Z');
  });
});

describe('a daily 09:00 handoff in America/New_York across daylight saving', () => {
  it('hands over at 09:00 local on the March change, after a 23-hour shift', () => {
    const l = layer(['ana', 'bo', 'cy'], daily('09:00', '2026-03-01'));
    // Shift 6 (ana) starts 7 March 09:00 EST; shift 7 (bo) 8 March 09:00 EDT.
    expect(iso(shiftStart(l.rotation, NY, 6))).toBe('2026-03-07T14:00:00.000Z');
    expect(iso(shiftStart(l.rotation, NY, 7))).toBe('2026-03-08T13:00:00.000Z');
    expect(who(l, NY, '2026-03-08T06:59:00Z')).toBe('ana'); // 01:59 EST, before the jump
    expect(who(l, NY, '2026-03-08T07:00:00Z')).toBe('ana'); // 03:00 EDT, just after it
    expect(who(l, NY, '2026-03-08T12:59:00Z')).toBe('ana'); // 08:59 EDT
    expect(who(l, NY, '2026-03-08T13:00:00Z')).toBe('bo'); // 09:00 EDT
    // Counting 24 elapsed hours would still say ana here (08:30 on a clock that never moved).
    expect(who(l, NY, '2026-03-08T13:30:00Z')).toBe('bo');
    expect(who(l, NY, '2026-03-09T12:59:00Z')).toBe('bo');
    expect(who(l, NY, '2026-03-09T13:00:00Z')).toBe('cy');
  });

  it('hands over at 09:00 local on the November change, after a 25-hour shift, and the repeated 01:30 is one shift', () => {
    const l = layer(['ana', 'bo', 'cy'], daily('09:00', '2026-10-25'));
    expect(shiftStart(l.rotation, NY, 7) - shiftStart(l.rotation, NY, 6)).toBe(25 * 3_600_000);
    expect(who(l, NY, '2026-11-01T05:30:00Z')).toBe('ana'); // 01:30 EDT, the first time
    expect(who(l, NY, '2026-11-01T06:30:00Z')).toBe('ana'); // 01:30 EST, the second time
    expect(who(l, NY, '2026-11-01T13:00:00Z')).toBe('ana'); // 08:00 EST (24 elapsed hours would hand over here)
    expect(who(l, NY, '2026-11-01T13:59:00Z')).toBe('ana');
    expect(who(l, NY, '2026-11-01T14:00:00Z')).toBe('bo'); // 09:00 EST
  });

  it('with a handoff at 01:30 on the repeated hour, hands over at its first occurrence and not again', () => {
    const l = layer(['ana', 'bo'], daily('01:30', '2026-10-30'));
    expect(who(l, NY, '2026-11-01T05:29:00Z')).toBe('bo'); // 01:29 EDT
    expect(who(l, NY, '2026-11-01T05:30:00Z')).toBe('ana'); // 01:30 EDT: handoff
    expect(who(l, NY, '2026-11-01T06:15:00Z')).toBe('ana'); // 01:15 EST: the wall clock reads earlier, the handoff has happened
    expect(who(l, NY, '2026-11-01T06:30:00Z')).toBe('ana'); // 01:30 EST: no second handoff
    expect(who(l, NY, '2026-11-02T06:29:00Z')).toBe('ana');
    expect(who(l, NY, '2026-11-02T06:30:00Z')).toBe('bo'); // 01:30 EST next day
  });

  it('with a handoff at 02:30 on the skipped hour, hands over at 03:30 EDT that day', () => {
    const l = layer(['ana', 'bo'], daily('02:30', '2026-03-07'));
    expect(who(l, NY, '2026-03-08T07:29:00Z')).toBe('ana');
    expect(who(l, NY, '2026-03-08T07:30:00Z')).toBe('bo');
    expect(who(l, NY, '2026-03-09T06:30:00Z')).toBe('ana'); // 02:30 EDT the day after
  });
});

describe('rotations', () => {
  it('weekly: first handoff on the first handoffDay on or after startDate; nobody before it', () => {
    const l = layer(['ana', 'bo'], { type: 'weekly', handoffDay: 1, handoffTime: '10:00', startDate: '2026-01-01' });
    const sh = 'Asia/Shanghai';
    expect(who(l, sh, '2026-01-05T01:59:00Z')).toBeNull(); // Monday 09:59 CST, before the first handoff
    expect(who(l, sh, '2026-01-05T02:00:00Z')).toBe('ana');
    expect(who(l, sh, '2026-01-12T01:59:00Z')).toBe('ana');
    expect(who(l, sh, '2026-01-12T02:00:00Z')).toBe('bo');
    expect(who(l, sh, '2026-01-19T02:00:00Z')).toBe('ana');
    expect(shiftIndex(l.rotation, sh, t('2026-01-01T00:00:00Z'))).toBe(-1);
  });

  it('weekly across the March change keeps its Sunday 09:00 local handoff', () => {
    const l = layer(['ana', 'bo'], { type: 'weekly', handoffDay: 0, handoffTime: '09:00', startDate: '2026-03-01' });
    expect(who(l, NY, '2026-03-08T12:59:00Z')).toBe('ana');
    expect(who(l, NY, '2026-03-08T13:00:00Z')).toBe('bo');
  });

  it('custom 12 h: 08:00 and 20:00 local, the night across the change an hour short', () => {
    const l = layer(['day', 'night'], { type: 'custom', lengthHours: 12, handoffTime: '08:00', startDate: '2026-03-07' });
    expect(who(l, NY, '2026-03-07T13:00:00Z')).toBe('day'); // 08:00 EST
    expect(who(l, NY, '2026-03-08T00:59:00Z')).toBe('day'); // 19:59 EST
    expect(who(l, NY, '2026-03-08T01:00:00Z')).toBe('night'); // 20:00 EST
    expect(who(l, NY, '2026-03-08T11:59:00Z')).toBe('night'); // 07:59 EDT
    expect(who(l, NY, '2026-03-08T12:00:00Z')).toBe('day'); // 08:00 EDT: 11 hours of night
    expect(who(l, NY, '2026-03-09T00:00:00Z')).toBe('night'); // 20:00 EDT
  });

  it('custom 8 h with three people in UTC', () => {
    const l = layer(['a', 'b', 'c'], { type: 'custom', lengthHours: 8, handoffTime: '06:00', startDate: '2026-05-01' });
    expect(['2026-05-01T06:00:00Z', '2026-05-01T14:00:00Z', '2026-05-01T22:00:00Z', '2026-05-02T06:00:00Z'].map((at) => who(l, 'UTC', at))).toEqual(['a', 'b', 'c', 'a']);
  });
});

describe('restrictions', () => {
  const night = layer(['owl'], daily('00:00', '2026-01-01'), [{ days: ALL_WEEK, from: '20:00', to: '08:00' }]);

  it('a 20:00–08:00 layer has someone only at night, read on the schedule clock', () => {
    expect(who(night, 'Asia/Shanghai', '2026-02-02T12:00:00Z')).toBe('owl'); // 20:00 CST
    expect(who(night, 'Asia/Shanghai', '2026-02-02T23:59:00Z')).toBe('owl'); // 07:59 CST
    expect(who(night, 'Asia/Shanghai', '2026-02-03T00:00:00Z')).toBeNull(); // 08:00 CST
    expect(who(night, 'Asia/Shanghai', '2026-02-03T11:59:00Z')).toBeNull(); // 19:59 CST
  });

  it('an overnight window belongs to the day it starts on', () => {
    const fridayNight = layer(['owl'], daily('00:00', '2026-01-01'), [{ days: [5], from: '20:00', to: '08:00' }]);
    expect(who(fridayNight, 'UTC', '2026-01-09T21:00:00Z')).toBe('owl'); // Friday 21:00
    expect(who(fridayNight, 'UTC', '2026-01-10T07:00:00Z')).toBe('owl'); // Saturday 07:00
    expect(who(fridayNight, 'UTC', '2026-01-10T21:00:00Z')).toBeNull(); // Saturday 21:00
    expect(who(fridayNight, 'UTC', '2026-01-08T21:00:00Z')).toBeNull(); // Thursday 21:00
  });

  it('a weekday office-hours window leaves weekends to the layer below', () => {
    const schedule: ScheduleDef = {
      timeZone: 'UTC',
      layers: [layer(['base'], daily('09:00', '2026-01-01')), layer(['office'], daily('09:00', '2026-01-01'), [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }])],
    };
    expect(onCallAt(schedule, [], t('2026-01-07T10:00:00Z'))).toEqual({ userId: 'office', layer: 1, overrideId: null }); // Wednesday
    expect(onCallAt(schedule, [], t('2026-01-10T10:00:00Z'))).toEqual({ userId: 'base', layer: 0, overrideId: null }); // Saturday
    expect(onCallAt(schedule, [], t('2026-01-07T18:00:00Z'))).toEqual({ userId: 'base', layer: 0, overrideId: null });
  });
});

describe('layers, overrides and the final schedule', () => {
  const schedule: ScheduleDef = {
    timeZone: 'UTC',
    layers: [
      layer(['ana', 'bo'], daily('09:00', '2026-06-01')),
      layer(['owl'], daily('00:00', '2026-06-01'), [{ days: ALL_WEEK, from: '20:00', to: '08:00' }]),
    ],
  };
  const override = { id: '01900000-0000-7000-8000-000000000001', userId: 'xen', start: t('2026-06-02T12:00:00Z'), end: t('2026-06-02T14:00:00Z') };

  it('an override wins over every layer, the newest of overlapping ones first; outside them the highest layer with someone', () => {
    const newer = { id: '01900000-0000-7000-8000-000000000002', userId: 'yu', start: t('2026-06-02T13:00:00Z'), end: t('2026-06-02T15:00:00Z') };
    expect(onCallAt(schedule, [override, newer], t('2026-06-02T12:30:00Z'))).toEqual({ userId: 'xen', layer: null, overrideId: override.id });
    expect(onCallAt(schedule, [newer, override], t('2026-06-02T13:30:00Z'))).toEqual({ userId: 'yu', layer: null, overrideId: newer.id });
    expect(onCallAt(schedule, [override, newer], t('2026-06-02T15:00:00Z'))?.userId).toBe('bo');
    expect(onCallAt(schedule, [], t('2026-06-02T22:00:00Z'))).toEqual({ userId: 'owl', layer: 1, overrideId: null });
    expect(onCallAt(schedule, [], t('2026-06-01T08:30:00Z'))).toBeNull(); // day layer not started, night layer off
  });

  it('lists the final schedule over two days: merged stretches, gaps left out, the override cut in', () => {
    const shifts = shiftsBetween(schedule, [override], t('2026-06-01T00:00:00Z'), t('2026-06-03T00:00:00Z'));
    expect(shifts.map((s) => [s.userId, s.layer, iso(s.start).slice(5, 16), iso(s.end).slice(5, 16)])).toEqual([
      ['owl', 1, '06-01T00:00', '06-01T08:00'],
      ['ana', 0, '06-01T09:00', '06-01T20:00'],
      ['owl', 1, '06-01T20:00', '06-02T08:00'],
      ['ana', 0, '06-02T08:00', '06-02T09:00'],
      ['bo', 0, '06-02T09:00', '06-02T12:00'],
      ['xen', null, '06-02T12:00', '06-02T14:00'],
      ['bo', 0, '06-02T14:00', '06-02T20:00'],
      ['owl', 1, '06-02T20:00', '06-03T00:00'],
    ]);
    expect(shifts[5]?.overrideId).toBe(override.id);
  });

  it('lists the 25-hour November shift as one stretch in New York', () => {
    const ny: ScheduleDef = { timeZone: NY, layers: [layer(['ana', 'bo', 'cy'], daily('09:00', '2026-10-25'))] };
    const shifts = shiftsBetween(ny, [], t('2026-10-31T00:00:00Z'), t('2026-11-03T00:00:00Z'));
    expect(shifts.map((s) => [s.userId, iso(s.start), iso(s.end)])).toEqual([
      ['cy', '2026-10-31T00:00:00.000Z', '2026-10-31T13:00:00.000Z'],
      ['ana', '2026-10-31T13:00:00.000Z', '2026-11-01T14:00:00.000Z'],
      ['bo', '2026-11-01T14:00:00.000Z', '2026-11-02T14:00:00.000Z'],
      ['cy', '2026-11-02T14:00:00.000Z', '2026-11-03T00:00:00.000Z'],
    ]);
  });
});
