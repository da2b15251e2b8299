import type { DayWindow, TimeWindow } from '@opsline/contracts';
import { DAY_MS, MINUTE_MS, clockAt, instantOf, minutesOf, naiveMidnight, naiveOf, naiveWeekday } from './zoned-time.js';

/**
 * Weekly windows on a wall clock (layer restrictions, routing rules' and
 * notification rules' time windows). A window whose `to` is not after its
 * `from` runs past midnight into the next day, and belongs to the day it
 * starts on: 20:00–08:00 on Friday covers Friday night and Saturday morning.
 */
export function inDayWindow(w: DayWindow, clock: { weekday: number; minute: number }): boolean {
  const from = minutesOf(w.from);
  const to = minutesOf(w.to);
  if (from < to) return w.days.includes(clock.weekday) && clock.minute >= from && clock.minute < to;
  const yesterday = (clock.weekday + 6) % 7;
  return (w.days.includes(clock.weekday) && clock.minute >= from) || (w.days.includes(yesterday) && clock.minute < to);
}

/** Inside any of the windows, each read in its own zone; no windows at all: always. */
export function inTimeWindows(windows: TimeWindow[], at: Date): boolean {
  return windows.length === 0 || windows.some((w) => inDayWindow(w, clockAt(at.getTime(), w.timeZone)));
}

/** The instants in [from, to) where any of the windows opens or closes, on the zone's wall clock. */
export function windowEdges(windows: DayWindow[], timeZone: string, from: number, to: number): number[] {
  if (!windows.length) return [];
  const edges: number[] = [];
  const lastDay = naiveMidnight(naiveOf(to, timeZone)) + DAY_MS;
  for (let day = naiveMidnight(naiveOf(from, timeZone)) - DAY_MS; day <= lastDay; day += DAY_MS) {
    for (const w of windows) {
      if (!w.days.includes(naiveWeekday(day))) continue;
      const open = minutesOf(w.from);
      const close = minutesOf(w.to);
      const closeDay = close > open ? day : day + DAY_MS;
      edges.push(instantOf(day + open * MINUTE_MS, timeZone), instantOf(closeDay + close * MINUTE_MS, timeZone));
    }
  }
  return edges.filter((t) => t >= from && t < to);
}
