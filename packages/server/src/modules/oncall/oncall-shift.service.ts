import { eq } from 'drizzle-orm';
import type { OncallAnswer, OncallShift, OncallShifts, OverrideBody, OverrideView, ShiftRangeQuery } from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import type { Db } from '../../platform/db/db.js';
import { AppError } from '../../platform/errors/app-error.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PlatformServices } from '../../platform/services.js';
import { overrideDefs, requireSchedule, scheduleDef, usernames } from './oncall-schedule.service.js';
import { oncallRepo, type OverrideRow } from './oncall.repo.js';
import { oncallOverrides } from './oncall.tables.js';
import { onCallAt, shiftsBetween, type Shift } from './rotation.js';
import type { TargetDirectory } from './targets.js';
import { DAY_MS } from './zoned-time.js';

/** The longest range a shift listing covers (a two-month calendar). */
export const MAX_RANGE_DAYS = 62;
/** Who is on call at T is answered with the stretch around T found within this much either side. */
const AROUND_MS = 31 * DAY_MS;

const rangeError = (message: string): AppError => new AppError('VALIDATION_FAILED', `query.to: ${message}`, { issues: [{ field: 'query.to', message }] });

/**
 * Who is on call: at an instant, over a range (the calendar), and the
 * overrides that put someone above every layer for a while.
 */
export function createShiftService(deps: { platform: PlatformServices; directory: TargetDirectory }) {
  const { platform, directory } = deps;
  const { db, clock } = platform;

  async function computed(scheduleId: string, from: number, to: number): Promise<Shift[]> {
    const row = await requireSchedule(db, scheduleId);
    const overrides = await oncallRepo.overlapping(db, [scheduleId], new Date(from), new Date(to));
    return shiftsBetween(scheduleDef(row), overrideDefs(overrides), from, to);
  }
  async function shiftViews(shifts: Shift[]): Promise<OncallShift[]> {
    const name = await usernames(platform, shifts.map((s) => s.userId));
    return shifts.map((s) => ({
      userId: s.userId, username: name(s.userId), layer: s.layer, override: s.overrideId !== null, overrideId: s.overrideId,
      start: new Date(s.start).toISOString(), end: new Date(s.end).toISOString(),
    }));
  }
  /** [from, to) of a query: default a week from now; at most 62 days. */
  function range(q: ShiftRangeQuery): { from: number; to: number } {
    const from = q.from ? Date.parse(q.from) : clock.now().getTime();
    const to = q.to ? Date.parse(q.to) : from + 7 * DAY_MS;
    if (to <= from) throw rangeError('must be after from');
    if (to - from > MAX_RANGE_DAYS * DAY_MS) throw rangeError(`at most ${MAX_RANGE_DAYS} days after from`);
    return { from, to };
  }
  async function overrideView(o: OverrideRow, tx: Db = db): Promise<OverrideView> {
    const name = await usernames(platform, [o.userId], tx);
    return {
      id: o.id, scheduleId: o.scheduleId, userId: o.userId, username: name(o.userId), start: o.startAt.toISOString(), end: o.endAt.toISOString(),
      createdBy: o.createdBy, createdAt: o.createdAt.toISOString(),
    };
  }

  return {
    /** User ids on call at `at` (none for a schedule that is gone). */
    async onCallAt(scheduleId: string, at: Date): Promise<string[]> {
      const row = await oncallRepo.schedule(db, scheduleId);
      if (!row) return [];
      const overrides = await oncallRepo.overlapping(db, [scheduleId], at, new Date(at.getTime() + 1));
      const holder = onCallAt(scheduleDef(row), overrideDefs(overrides), at.getTime());
      return holder ? [holder.userId] : [];
    },

    /** Who is on call at `at`, with the stretch they hold it for (as far as a month either side). */
    async whoAt(scheduleId: string, atIso: string | undefined): Promise<OncallAnswer> {
      const at = atIso ? Date.parse(atIso) : clock.now().getTime();
      const shifts = await computed(scheduleId, at - AROUND_MS, at + AROUND_MS);
      return { at: new Date(at).toISOString(), users: await shiftViews(shifts.filter((s) => s.start <= at && at < s.end)) };
    },

    async shifts(scheduleId: string, q: ShiftRangeQuery): Promise<OncallShifts> {
      const { from, to } = range(q);
      return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), shifts: await shiftViews(await computed(scheduleId, from, to)) };
    },

    async overrides(scheduleId: string, q: ShiftRangeQuery): Promise<{ items: OverrideView[] }> {
      await requireSchedule(db, scheduleId);
      const { from, to } = range(q);
      const rows = await oncallRepo.overlapping(db, [scheduleId], new Date(from), new Date(to));
      return { items: await Promise.all(rows.map((r) => overrideView(r))) };
    },

    /** Before the change: the user exists and the override ends after it starts. */
    async checkOverride(body: OverrideBody): Promise<void> {
      if (Date.parse(body.end) <= Date.parse(body.start)) throw new AppError('VALIDATION_FAILED', 'body.end: must be after body.start', { issues: [{ field: 'body.end', message: 'must be after start' }] });
      await directory.checkId('user', body.userId, 'body.userId');
    },

    async addOverride(ctx: MutationContext, scheduleId: string, body: OverrideBody, userId: string): Promise<OverrideView> {
      const schedule = await requireSchedule(ctx.tx, scheduleId);
      const start = new Date(body.start);
      const end = new Date(body.end);
      const now = clock.now();
      const row: OverrideRow = { id: uuidv7(now.getTime()), scheduleId, userId: body.userId, startAt: start, endAt: end, createdBy: userId, createdAt: now };
      await ctx.tx.insert(oncallOverrides).values(row);
      Object.assign(ctx.audit, { targetType: 'oncall_schedule', targetId: scheduleId, after: { override: row } });
      await ctx.emit('oncall.override.created', { scheduleId, overrideId: row.id, userId: body.userId, start: body.start, end: body.end }, {
        summary: `override on ${schedule.name} from ${start.toISOString()} to ${end.toISOString()}`, resourceType: 'oncall_schedule', resourceId: scheduleId,
      });
      return overrideView(row, ctx.tx);
    },

    async removeOverride(ctx: MutationContext, scheduleId: string, overrideId: string): Promise<void> {
      const schedule = await requireSchedule(ctx.tx, scheduleId);
      const row = await oncallRepo.override(ctx.tx, scheduleId, overrideId);
      if (!row) throw new AppError('ONCALL_OVERRIDE_NOT_FOUND');
      await ctx.tx.delete(oncallOverrides).where(eq(oncallOverrides.id, overrideId));
      Object.assign(ctx.audit, { targetType: 'oncall_schedule', targetId: scheduleId, before: { override: row } });
      await ctx.emit('oncall.override.deleted', { scheduleId, overrideId, userId: row.userId }, {
        summary: `override on ${schedule.name} removed`, resourceType: 'oncall_schedule', resourceId: scheduleId,
      });
    },
  };
}

export type ShiftService = ReturnType<typeof createShiftService>;
