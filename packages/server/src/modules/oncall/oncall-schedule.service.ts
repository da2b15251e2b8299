import { eq } from 'drizzle-orm';
import type { OncallScheduleBody, OncallScheduleListQuery, OncallScheduleView, Page } from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import type { Db } from '../../platform/db/db.js';
import { AppError } from '../../platform/errors/app-error.js';
import { decodeCursor, toPageBatch } from '../../platform/http/cursor.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PlatformServices } from '../../platform/services.js';
import { oncallRepo, type OverrideRow, type ScheduleRow } from './oncall.repo.js';
import { oncallSchedules } from './oncall.tables.js';
import { onCallAt, type OverrideDef, type ScheduleDef } from './rotation.js';
import type { TargetDirectory } from './targets.js';

export const scheduleDef = (row: ScheduleRow): ScheduleDef => ({ timeZone: row.timeZone, layers: row.layers });
export const overrideDefs = (rows: OverrideRow[]): OverrideDef[] => rows.map((o) => ({ id: o.id, userId: o.userId, start: o.startAt.getTime(), end: o.endAt.getTime() }));

/** id → username; a user deleted since reads "(deleted)". */
export async function usernames(platform: PlatformServices, ids: string[], tx: Db = platform.db): Promise<(id: string) => string> {
  const found = await platform.users.usernamesOf(ids, tx);
  return (id) => found.get(id) ?? '(deleted)';
}

/** A schedule's fields as checked before a change. */
export type ScheduleFields = Pick<ScheduleRow, 'name' | 'description' | 'timeZone' | 'teamId' | 'layers'>;

export async function requireSchedule(db: Db, id: string): Promise<ScheduleRow> {
  const row = await oncallRepo.schedule(db, id);
  if (!row) throw new AppError('ONCALL_SCHEDULE_NOT_FOUND');
  return row;
}

/** On-call schedules (排班): layers of rotations in a time zone, checked on save. */
export function createScheduleService(deps: { platform: PlatformServices; directory: TargetDirectory }) {
  const { platform, directory } = deps;
  const { db, clock } = platform;

  /** Views with who is on call at the time of asking, for all rows at once. */
  async function views(rows: ScheduleRow[], tx: Db = db): Promise<OncallScheduleView[]> {
    const now = clock.now();
    const overrides = await oncallRepo.overlapping(tx, rows.map((r) => r.id), now, new Date(now.getTime() + 1));
    const holders = rows.map((r) => onCallAt(scheduleDef(r), overrideDefs(overrides.filter((o) => o.scheduleId === r.id)), now.getTime()));
    const name = await usernames(platform, holders.flatMap((h) => (h ? [h.userId] : [])), tx);
    return rows.map((r, i) => {
      const holder = holders[i];
      return {
        id: r.id, name: r.name, description: r.description, timeZone: r.timeZone, teamId: r.teamId, layers: r.layers,
        onCallNow: holder ? [{ userId: holder.userId, username: name(holder.userId) }] : [],
        createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
      };
    });
  }
  async function view(row: ScheduleRow, tx: Db = db): Promise<OncallScheduleView> {
    const [v] = await views([row], tx);
    if (!v) throw new Error('unreachable: one row, one view');
    return v;
  }

  return {
    /** Before the change: the team and every layer's users exist (a 404 naming the field); layers get their default names. */
    async prepare(body: OncallScheduleBody): Promise<ScheduleFields> {
      const teamId = body.teamId ?? null;
      if (teamId) await directory.checkId('team', teamId, 'body.teamId');
      for (const [i, layer] of body.layers.entries()) await directory.checkIds('user', layer.userIds, `body.layers.${i}.userIds`);
      return {
        name: body.name, description: body.description, timeZone: body.timeZone, teamId,
        layers: body.layers.map((l, i) => ({ ...l, name: l.name ?? `Layer ${i + 1}` })),
      };
    },

    async list(q: OncallScheduleListQuery): Promise<Page<OncallScheduleView>> {
      const before = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      const rows = await oncallRepo.schedules(db, { teamId: q.teamId, before, limit: q.limit + 1 });
      return toPageBatch(rows, q.limit, (kept) => views(kept), (r) => r.id);
    },
    get: async (id: string): Promise<OncallScheduleView> => view(await requireSchedule(db, id)),

    async create(ctx: MutationContext, fields: ScheduleFields, userId: string): Promise<OncallScheduleView> {
      const now = clock.now();
      const row: ScheduleRow = { id: uuidv7(now.getTime()), ...fields, createdBy: userId, createdAt: now, updatedAt: now };
      await ctx.tx.insert(oncallSchedules).values(row);
      Object.assign(ctx.audit, { targetType: 'oncall_schedule', targetId: row.id, after: row });
      await ctx.emit('oncall.schedule.created', { scheduleId: row.id, name: row.name }, { summary: `on-call schedule ${row.name} created`, resourceType: 'oncall_schedule', resourceId: row.id });
      return view(row, ctx.tx);
    },

    async replace(ctx: MutationContext, id: string, fields: ScheduleFields): Promise<OncallScheduleView> {
      const before = await requireSchedule(ctx.tx, id);
      const after: ScheduleRow = { ...before, ...fields, updatedAt: clock.now() };
      await ctx.tx.update(oncallSchedules).set(after).where(eq(oncallSchedules.id, id));
      Object.assign(ctx.audit, { targetType: 'oncall_schedule', targetId: id, before, after });
      await ctx.emit('oncall.schedule.updated', { scheduleId: id, name: after.name }, { summary: `on-call schedule ${after.name} changed`, resourceType: 'oncall_schedule', resourceId: id });
      return view(after, ctx.tx);
    },

    /** Refused while an escalation policy pages the schedule; its overrides go with it. */
    async remove(ctx: MutationContext, id: string): Promise<void> {
      const before = await requireSchedule(ctx.tx, id);
      const policies = await oncallRepo.policiesTargeting(ctx.tx, { type: 'schedule', id });
      if (policies.length) {
        throw new AppError('ONCALL_SCHEDULE_IN_USE', `Escalation policies page this schedule: ${policies.map((p) => p.name).join(', ')}`, { policies });
      }
      await ctx.tx.delete(oncallSchedules).where(eq(oncallSchedules.id, id));
      Object.assign(ctx.audit, { targetType: 'oncall_schedule', targetId: id, before });
      await ctx.emit('oncall.schedule.deleted', { scheduleId: id, name: before.name }, { summary: `on-call schedule ${before.name} deleted`, resourceType: 'oncall_schedule', resourceId: id });
    },
  };
}

export type ScheduleService = ReturnType<typeof createScheduleService>;
