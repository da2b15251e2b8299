import { weekdayName } from './time-window';
import { clockIn, dateIn, weekdayOf } from './zoned-time';

/** `2026-06-01 周一 09:00`: an instant on the clock in `zone`, read as the calendar shows days. */
export function zonedText(at: number | string, zone: string): string {
  const ms = typeof at === 'string' ? Date.parse(at) : at;
  const date = dateIn(ms, zone);
  return `${date} ${weekdayName(weekdayOf(date))} ${clockIn(ms, zone)}`;
}
