import type { LabelMatcher, SilenceRecurrence } from '@opsline/contracts';

/** Compiled matchers, anchored like Alertmanager's (the regex must match the whole value). */
const compiled = new Map<string, RegExp>();
function anchored(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    if (compiled.size >= 1000) compiled.clear();
    re = new RegExp(`^(?:${pattern})$`);
    compiled.set(pattern, re);
  }
  return re;
}

/** Every matcher holds for the labels; a missing label reads as "". */
export function matchesAll(matchers: LabelMatcher[], labels: Record<string, string>): boolean {
  return matchers.every((m) => {
    const value = labels[m.name] ?? '';
    const hit = m.isRegex ? anchored(m.value).test(value) : value === m.value;
    return hit === m.isEqual;
  });
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formats = new Map<string, Intl.DateTimeFormat>();
function localClock(timeZone: string, at: Date): { day: number; minute: number } {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, f);
  }
  const part = (type: string): string => f.formatToParts(at).find((p) => p.type === type)?.value ?? '';
  return { day: WEEKDAYS.indexOf(part('weekday')), minute: Number(part('hour')) * 60 + Number(part('minute')) };
}
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `at` falls in the weekly window, read on the wall clock of its time zone. */
export function inWeeklyWindow(r: SilenceRecurrence, at: Date): boolean {
  const { day, minute } = localClock(r.timeZone, at);
  const start = minutesOf(r.start);
  const end = minutesOf(r.end);
  if (start < end) return r.days.includes(day) && minute >= start && minute < end;
  // Past midnight: from `start` on a listed day until `end` the next morning.
  return (r.days.includes(day) && minute >= start) || (r.days.includes((day + 6) % 7) && minute < end);
}

export interface SilenceRule {
  id: string;
  matchers: LabelMatcher[];
  startsAt: Date;
  endsAt: Date;
  recurrence: SilenceRecurrence | null;
}

/** Between its start and end, and inside its weekly window if it has one. */
export const silencingAt = (s: SilenceRule, at: Date): boolean =>
  s.startsAt <= at && at < s.endsAt && (s.recurrence === null || inWeeklyWindow(s.recurrence, at));

/** The first silence that silences these labels at `at`, if any. */
export function silenceFor(rules: SilenceRule[], labels: Record<string, string>, at: Date): string | null {
  return rules.find((s) => silencingAt(s, at) && matchesAll(s.matchers, labels))?.id ?? null;
}
