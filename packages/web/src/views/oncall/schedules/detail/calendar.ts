import type { OncallShift } from '@opsline/contracts';
import { addDays, clockIn, dateIn, dayStart, weekdayOf } from '../../shared/zoned-time';

/** How much the calendar shows at once: a week, two, or the weeks of a month. */
export const PERIODS = ['week', 'twoWeeks', 'month'] as const;
export type Period = (typeof PERIODS)[number];

/** The Monday on or before `date`. */
const mondayOf = (date: string): string => addDays(date, -((weekdayOf(date) + 6) % 7));

/** The days shown for a period around `anchor`, whole weeks from a Monday. */
export function daysOf(period: Period, anchor: string): string[] {
  if (period !== 'month') return Array.from({ length: period === 'week' ? 7 : 14 }, (_, i) => addDays(mondayOf(anchor), i));
  const monthStart = `${anchor.slice(0, 8)}01`;
  const first = mondayOf(monthStart);
  const lastSunday = addDays(mondayOf(addDays(stepAnchor('month', monthStart, 1), -1)), 6);
  const count = Math.round((Date.parse(lastSunday) - Date.parse(first)) / 86_400_000) + 1;
  return Array.from({ length: count }, (_, i) => addDays(first, i));
}

/** The anchor a step back or forward moves to. */
export function stepAnchor(period: Period, anchor: string, dir: -1 | 1): string {
  if (period === 'month') {
    const [y = 1970, m = 1] = anchor.split('-').map(Number);
    const next = new Date(Date.UTC(y, m - 1 + dir, 1));
    return `${next.getUTCFullYear()}-${String(next.getUTCMonth() + 1).padStart(2, '0')}-01`;
  }
  return addDays(anchor, dir * (period === 'week' ? 7 : 14));
}

/** Which stretches a row of the calendar shows: every one, the overrides, or those a layer holds. */
export type RowKey = 'final' | 'override' | `layer-${number}`;
export const rowHolds = (row: RowKey, s: OncallShift): boolean =>
  row === 'final' ? true : row === 'override' ? s.override : !s.override && `layer-${s.layer ?? -1}` === row;

/** A stretch as drawn in one day: where in the day it lies (0–100) and whether it starts or ends inside it. */
export interface DaySegment {
  shift: OncallShift;
  left: number;
  width: number;
  /** `09:00` when it begins inside the day, else null (it goes on from the day before). */
  from: string | null;
  until: string | null;
}

export function segmentsOf(shifts: readonly OncallShift[], date: string, zone: string): DaySegment[] {
  const start = dayStart(date, zone);
  const end = dayStart(addDays(date, 1), zone);
  const span = end - start;
  return shifts.flatMap((shift) => {
    const a = Math.max(Date.parse(shift.start), start);
    const b = Math.min(Date.parse(shift.end), end);
    if (b <= a) return [];
    return [{
      shift,
      left: ((a - start) / span) * 100,
      width: ((b - a) / span) * 100,
      from: a > start ? clockIn(a, zone) : null,
      until: b < end ? clockIn(b, zone) : null,
    }];
  });
}

/** Handoffs in the final schedule: where one person's stretch ends and another's begins, by the day they happen on. */
export function handoffsByDay(shifts: readonly OncallShift[], zone: string): Map<string, { at: string; from: string; to: string }[]> {
  const out = new Map<string, { at: string; from: string; to: string }[]>();
  const sorted = [...shifts].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  sorted.forEach((s, i) => {
    const prev = sorted[i - 1];
    if (!prev || prev.end !== s.start || prev.userId === s.userId) return;
    const ms = Date.parse(s.start);
    const day = dateIn(ms, zone);
    out.set(day, [...(out.get(day) ?? []), { at: clockIn(ms, zone), from: prev.username, to: s.username }]);
  });
  return out;
}

/** A colour for each person: in the order they appear in the layers, then any others as they come. */
const PALETTE = ['#2f6bff', '#18a058', '#f0a020', '#8a4baf', '#d03050', '#0e9aa7', '#c26a1b', '#5470c6', '#91a71a', '#e062ae'];
export function colourMap(ordered: readonly string[], others: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const id of [...ordered, ...others]) if (!map.has(id)) map.set(id, PALETTE[map.size % PALETTE.length] ?? '#888');
  return map;
}
