import type { DayWindow, Rotation } from '@opsline/contracts';
import { clockAt, DAY_MS, HOUR_MS, instantOf, naiveDateTime, naiveOf, naiveWeekday } from './zoned-time.js';
import { inDayWindow, windowEdges } from './time-window.js';

/**
 * Who is on call, as pure functions of a schedule's definition and an
 * instant. Shift k of a layer starts at its first handoff plus k periods on
 * the schedule's wall clock (a day, a week, or `lengthHours`), so handoffs
 * keep their local time across daylight-saving changes; the instant a shift
 * starts is that wall-clock reading's first occurrence.
 */

export interface LayerDef {
  userIds: string[];
  rotation: Rotation;
  restrictions: DayWindow[];
}
export interface ScheduleDef {
  timeZone: string;
  /** Lowest first. */
  layers: LayerDef[];
}
export interface OverrideDef {
  id: string;
  userId: string;
  start: number;
  end: number;
}
/** Who holds the schedule: from layer `layer`, or from an override (layer null). */
export interface OnCall {
  userId: string;
  layer: number | null;
  overrideId: string | null;
}
export interface Shift extends OnCall {
  start: number;
  end: number;
}

/** A layer's shifts listed for one range: enough for 62 days of hourly shifts in ten layers. */
const MAX_SHIFTS_PER_LAYER = 5_000;

const periodOf = (r: Rotation): number => (r.type === 'daily' ? DAY_MS : r.type === 'weekly' ? 7 * DAY_MS : (r.lengthHours ?? 24) * HOUR_MS);

/** The first handoff as a naive time: startDate at handoffTime; weekly, the first handoffDay on or after startDate. */
function firstHandoff(r: Rotation): number {
  const base = naiveDateTime(r.startDate, r.handoffTime);
  if (r.type !== 'weekly' || r.handoffDay === undefined) return base;
  return base + ((r.handoffDay - naiveWeekday(base) + 7) % 7) * DAY_MS;
}

/** The instant shift `k` of the rotation starts. */
export function shiftStart(r: Rotation, timeZone: string, k: number): number {
  return instantOf(firstHandoff(r) + k * periodOf(r), timeZone);
}

/** The index of the shift holding `at`; -1 before the first handoff. */
export function shiftIndex(r: Rotation, timeZone: string, at: number): number {
  if (at < shiftStart(r, timeZone, 0)) return -1;
  // The wall clock gives the shift to within one; the instants settle it (the repeated hour reads the same twice).
  let k = Math.max(0, Math.floor((naiveOf(at, timeZone) - firstHandoff(r)) / periodOf(r)));
  while (shiftStart(r, timeZone, k + 1) <= at) k += 1;
  while (k > 0 && shiftStart(r, timeZone, k) > at) k -= 1;
  return k;
}

/** The user a layer has at `at`: nobody before its first handoff or outside its restrictions. */
export function layerUserAt(layer: LayerDef, timeZone: string, at: number): string | null {
  if (!layer.userIds.length) return null;
  if (layer.restrictions.length && !layer.restrictions.some((w) => inDayWindow(w, clockAt(at, timeZone)))) return null;
  const k = shiftIndex(layer.rotation, timeZone, at);
  return k < 0 ? null : (layer.userIds[k % layer.userIds.length] ?? null);
}

/** On call at `at`: an override (the newest of those covering it), else the highest layer with someone, else nobody. */
export function onCallAt(schedule: ScheduleDef, overrides: OverrideDef[], at: number): OnCall | null {
  const override = newestCovering(overrides, at);
  if (override) return { userId: override.userId, layer: null, overrideId: override.id };
  for (let i = schedule.layers.length - 1; i >= 0; i -= 1) {
    const layer = schedule.layers[i];
    const userId = layer ? layerUserAt(layer, schedule.timeZone, at) : null;
    if (userId) return { userId, layer: i, overrideId: null };
  }
  return null;
}

/** Overrides in creation order (ids are time-ordered): the last one covering `at` wins. */
function newestCovering(overrides: OverrideDef[], at: number): OverrideDef | undefined {
  let found: OverrideDef | undefined;
  for (const o of overrides) if (o.start <= at && at < o.end && (!found || o.id > found.id)) found = o;
  return found;
}

/** Where anything may change hands in [from, to): handoffs, restriction edges, override edges. */
function changePoints(schedule: ScheduleDef, overrides: OverrideDef[], from: number, to: number): number[] {
  const points = new Set<number>([from]);
  const tz = schedule.timeZone;
  for (const layer of schedule.layers) {
    const r = layer.rotation;
    for (let k = Math.max(0, shiftIndex(r, tz, from)), n = 0; n < MAX_SHIFTS_PER_LAYER; k += 1, n += 1) {
      const t = shiftStart(r, tz, k);
      if (t >= to) break;
      if (t > from) points.add(t);
    }
    for (const t of windowEdges(layer.restrictions, tz, from, to)) points.add(t);
  }
  for (const o of overrides) for (const t of [o.start, o.end]) if (t > from && t < to) points.add(t);
  return [...points].sort((a, b) => a - b);
}

const sameHolder = (a: OnCall, b: OnCall): boolean => a.userId === b.userId && a.layer === b.layer && a.overrideId === b.overrideId;

/**
 * The final schedule in [from, to): who holds it when, stretches of one
 * holder from one source merged, gaps (nobody on call) left out.
 */
export function shiftsBetween(schedule: ScheduleDef, overrides: OverrideDef[], from: number, to: number): Shift[] {
  const points = changePoints(schedule, overrides, from, to);
  const shifts: Shift[] = [];
  points.forEach((start, i) => {
    const end = points[i + 1] ?? to;
    const holder = onCallAt(schedule, overrides, start);
    if (!holder) return;
    const last = shifts.at(-1);
    if (last && last.end === start && sameHolder(last, holder)) last.end = end;
    else shifts.push({ ...holder, start, end });
  });
  return shifts;
}
