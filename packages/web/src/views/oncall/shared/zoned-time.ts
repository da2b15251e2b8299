/**
 * Reading instants on a schedule's wall clock, and back, for display and
 * pickers only: who is on call when is always the server's answer. Uses the
 * browser's time-zone data through Intl, like the server does.
 */

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const DAY_MS = 86_400_000;
const parts = new Map<string, Intl.DateTimeFormat>();

function partsFormat(zone: string): Intl.DateTimeFormat {
  let f = parts.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    parts.set(zone, f);
  }
  return f;
}

/** The wall clock in `zone` at an instant. */
export function wallAt(ms: number, zone: string): WallTime {
  const out: Record<string, number> = {};
  for (const p of partsFormat(zone).formatToParts(new Date(ms))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year ?? 1970, month: out.month ?? 1, day: out.day ?? 1, hour: (out.hour ?? 0) % 24, minute: out.minute ?? 0 };
}

const asUtc = (w: WallTime): number => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
/** How far the zone's clock is ahead of UTC at an instant, in ms. */
const offsetAt = (ms: number, zone: string): number => asUtc(wallAt(ms, zone)) - Math.floor(ms / 60_000) * 60_000;

/** The instant the clock in `zone` shows `w` (a time skipped by a clock change lands after the jump). */
export function instantOf(w: WallTime, zone: string): number {
  const guess = asUtc(w);
  const first = guess - offsetAt(guess, zone);
  return guess - offsetAt(first, zone);
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `2026-06-01`: the calendar date an instant falls on in `zone`. */
export function dateIn(ms: number, zone: string): string {
  const w = wallAt(ms, zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** `09:00` on the clock in `zone`. */
export function clockIn(ms: number, zone: string): string {
  const w = wallAt(ms, zone);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

const parseDate = (date: string): WallTime => {
  const [y, m, d] = date.split('-').map(Number);
  return { year: y ?? 1970, month: m ?? 1, day: d ?? 1, hour: 0, minute: 0 };
};

/** Midnight starting `date` in `zone`. */
export const dayStart = (date: string, zone: string): number => instantOf(parseDate(date), zone);

/** The date `n` days after `date` (calendar arithmetic, no zone involved). */
export function addDays(date: string, n: number): string {
  const d = new Date(asUtc(parseDate(date)) + n * DAY_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** 0 = Sunday … 6 = Saturday, as the contracts count. */
export const weekdayOf = (date: string): number => new Date(asUtc(parseDate(date))).getUTCDay();

/** `UTC+08:00`: the zone's offset at an instant. */
export function offsetLabel(ms: number, zone: string): string {
  const minutes = Math.round(offsetAt(ms, zone) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * A date picker works on the browser's clock; the forms mean the schedule's.
 * `fromPicker` reads the picked wall time in `zone`; `toPicker` shows an
 * instant's wall time in `zone` on the picker.
 */
export function fromPicker(pickerMs: number, zone: string): number {
  const d = new Date(pickerMs);
  return instantOf({ year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hour: d.getHours(), minute: d.getMinutes() }, zone);
}

export function toPicker(ms: number, zone: string): number {
  const w = wallAt(ms, zone);
  return new Date(w.year, w.month - 1, w.day, w.hour, w.minute).getTime();
}
