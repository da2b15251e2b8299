/**
 * Wall-clock time in IANA zones with Intl and offset arithmetic: the runtime's
 * ICU already knows every zone's rules, so no date library is needed (croner
 * only answers "next fire of a pattern", not "which shift holds this instant").
 *
 * A "naive" time is a wall-clock reading written as if it were UTC, in ms:
 * adding days to it is calendar arithmetic that daylight saving cannot touch.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock of `timeZone` at `instant` (ms), as naive ms (whole seconds). */
export function naiveOf(instant: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in ms. */
export const offsetAt = (instant: number, timeZone: string): number => naiveOf(instant, timeZone) - Math.floor(instant / 1000) * 1000;

/**
 * The instant the wall clock of `timeZone` reads `naive`. A reading that
 * happens twice (the hour repeated when clocks go back) is its first
 * occurrence; one that never happens (the hour skipped when they go forward)
 * lands as far past the jump as it was into the gap: 02:30 becomes 03:30.
 */
export function instantOf(naive: number, timeZone: string): number {
  const before = offsetAt(naive - DAY_MS, timeZone);
  const after = offsetAt(naive + DAY_MS, timeZone);
  const exact = [naive - before, naive - after].filter((t) => naiveOf(t, timeZone) === naive);
  return exact.length ? Math.min(...exact) : naive - before;
}

/** Weekday (0 = Sunday) and minute of the day on the zone's wall clock at `instant`. */
export function clockAt(instant: number, timeZone: string): { weekday: number; minute: number } {
  const naive = naiveOf(instant, timeZone);
  return { weekday: naiveWeekday(naive), minute: Math.floor((naive - naiveMidnight(naive)) / MINUTE_MS) };
}

/** `HH:MM` → minutes after midnight. */
export const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** `YYYY-MM-DD` at `HH:MM` as naive ms. */
export const naiveDateTime = (date: string, hhmm: string): number => Date.parse(`${date}T00:00:00Z`) + minutesOf(hhmm) * MINUTE_MS;

/** Midnight of the naive time's day. */
export const naiveMidnight = (naive: number): number => Math.floor(naive / DAY_MS) * DAY_MS;

/** The weekday of a naive time (0 = Sunday). */
export const naiveWeekday = (naive: number): number => new Date(naive).getUTCDay();
