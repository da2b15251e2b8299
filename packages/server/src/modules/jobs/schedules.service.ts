import { Cron } from 'croner';
import {
  JOB_RUN_FINAL, type JobRunState, type Page, type ScheduleBody, type ScheduleFireView, type ScheduleListQuery, type ScheduleView, type UpdateScheduleBody,
} from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import { AppError } from '../../platform/errors/app-error.js';
import { decodeCursor, toPage } from '../../platform/http/cursor.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PlatformServices } from '../../platform/services.js';
import { jobsRepo } from './jobs.repo.js';
import { SYSTEM_ORIGIN } from './run-driver.js';
import type { RunService } from './runs.service.js';
import { schedulesRepo, type FireRow, type ScheduleRow } from './schedules.repo.js';

/** A fire this late counts as missed (the servers were down): the misfire policy decides. */
export const MISFIRE_GRACE_MS = 60_000;

/** The pattern and zone checked; a bad one is a 400 naming the field. */
export function cronOf(cron: string, timezone: string, field = 'body'): Cron {
  try {
    Intl.DateTimeFormat(undefined, { timeZone: timezone });
  } catch {
    throw new AppError('VALIDATION_FAILED', `${field}.timezone: not a time zone (use an IANA name such as Asia/Shanghai or UTC)`, { issues: [{ field: `${field}.timezone`, message: 'unknown time zone' }] });
  }
  try {
    return new Cron(cron, { timezone, paused: true });
  } catch (err) {
    const message = err instanceof Error ? err.message.replace(/^CronPattern: /, '') : 'invalid';
    throw new AppError('VALIDATION_FAILED', `${field}.cron: ${message}`, { issues: [{ field: `${field}.cron`, message }] });
  }
}

export const nextFires = (cron: string, timezone: string, from: Date, n = 5, field = 'body'): Date[] => cronOf(cron, timezone, field).nextRuns(n, from);

/** What schedules need of workflows (the workflows module plugs it in: it depends on this one). */
export interface WorkflowPort {
  name(workflowId: string): Promise<string | undefined>;
  /** Starts a run as `userId`; answers its id. */
  start(workflowId: string, userId: string, actorName: string): Promise<string>;
  isOpen(runId: string): Promise<boolean>;
}

/** Schedules (定时任务) on job templates and workflows, and the loop that fires them — once across servers. */
export function createScheduleService(deps: { platform: PlatformServices; runs: RunService; workflows: () => WorkflowPort | undefined }) {
  const { platform, runs } = deps;
  const { db, clock } = platform;
  const workflows = (): WorkflowPort => {
    const port = deps.workflows();
    if (!port) throw new Error('workflows are not available');
    return port;
  };

  async function targetName(s: { templateId: string | null; workflowId: string | null }): Promise<string | undefined> {
    if (s.workflowId) return workflows().name(s.workflowId);
    return (await jobsRepo.templateById(db, s.templateId ?? ''))?.name;
  }
  async function view(s: ScheduleRow): Promise<ScheduleView> {
    return viewWith(s, (await targetName(s)) ?? '(deleted)');
  }
  function viewWith(s: ScheduleRow, name: string): ScheduleView {
    return {
      id: s.id, name: s.name, templateId: s.templateId, workflowId: s.workflowId, targetName: name, cron: s.cron, timezone: s.timezone, enabled: s.enabled,
      overlap: s.overlap as ScheduleView['overlap'], misfire: s.misfire as ScheduleView['misfire'],
      nextFires: s.enabled ? nextFires(s.cron, s.timezone, clock.now()).map((d) => d.toISOString()) : [],
      lastFiredAt: s.lastFiredAt?.toISOString() ?? null, lastRunId: s.lastRunId, createdBy: s.createdBy, createdAt: s.createdAt.toISOString(), updatedAt: s.updatedAt.toISOString(),
    };
  }
  async function byId(id: string): Promise<ScheduleRow> {
    const s = await schedulesRepo.byId(db, id);
    if (!s) throw new AppError('SCHEDULE_NOT_FOUND');
    return s;
  }
  const nextAfter = (s: { cron: string; timezone: string; enabled: boolean }, from: Date): Date | null => (s.enabled ? cronOf(s.cron, s.timezone).nextRun(from) : null);

  /** Starts a run of the schedule's template (or workflow) as the schedule's owner; answers its id. */
  async function startRun(s: ScheduleRow): Promise<string> {
    const userId = s.createdBy ?? '';
    if (s.workflowId) return workflows().start(s.workflowId, userId, `schedule ${s.name}`);
    const plan = await runs.plan({ templateId: s.templateId ?? '' }, userId);
    const run = await platform.mutations(
      { action: 'job.run.start', origin: { ...SYSTEM_ORIGIN, actorId: s.createdBy, actorName: `schedule ${s.name}`, path: 'jobs.schedule' }, draft: { targetType: 'job_run', targetId: null, before: null, after: null } },
      (ctx) => runs.start(ctx, plan, userId),
    );
    return run.id;
  }

  async function lastRunOpen(s: ScheduleRow): Promise<boolean> {
    if (!s.lastRunId) return false;
    if (s.workflowId) return workflows().isOpen(s.lastRunId);
    const run = await jobsRepo.runById(db, s.lastRunId);
    return Boolean(run && !JOB_RUN_FINAL.includes(run.status as JobRunState));
  }

  async function record(s: ScheduleRow, scheduledAt: Date, outcome: FireRow['outcome'], runId: string | null, error: string | null): Promise<void> {
    const now = clock.now();
    await platform.mutations(
      { action: 'schedule.fire', origin: { ...SYSTEM_ORIGIN, actorId: s.createdBy, actorName: `schedule ${s.name}`, path: 'jobs.schedule' }, draft: { targetType: 'schedule', targetId: s.id, before: null, after: { outcome, runId, scheduledAt } } },
      async (ctx) => {
        await schedulesRepo.insertFire(ctx.tx, { id: uuidv7(now.getTime()), scheduleId: s.id, scheduledAt, firedAt: now, outcome, runId, error });
        if (runId) await schedulesRepo.update(ctx.tx, s.id, { lastFiredAt: now, lastRunId: runId });
        await ctx.emit('schedule.fired', { scheduleId: s.id, name: s.name, outcome, runId }, {
          summary: `schedule ${s.name}: ${outcome.replace('_', ' ')}`, severity: outcome === 'failed' ? 'warning' : 'info', resourceType: 'schedule', resourceId: s.id,
        });
      },
    );
  }

  /** One fire of a claimed schedule: misfire policy, overlap policy, then a run. */
  async function fire(s: ScheduleRow, scheduledAt: Date): Promise<void> {
    const late = clock.now().getTime() - scheduledAt.getTime() > MISFIRE_GRACE_MS;
    if (late && s.misfire === 'skip') return record(s, scheduledAt, 'skipped_misfire', null, null);
    if (await lastRunOpen(s)) {
      if (s.overlap === 'skip') return record(s, scheduledAt, 'skipped_overlap', null, null);
      await schedulesRepo.update(db, s.id, { queued: s.queued + 1 });
      return record(s, scheduledAt, 'queued', null, null);
    }
    try {
      await record(s, scheduledAt, 'started', await startRun(s), null);
    } catch (err) {
      await record(s, scheduledAt, 'failed', null, err instanceof Error ? err.message : String(err));
    }
  }

  return {
    viewWith,
    async list(q: ScheduleListQuery): Promise<Page<ScheduleView>> {
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      const page = toPage(await schedulesRepo.list(db, q.templateId, after, q.limit + 1), q.limit, (r) => r, (r) => r.id);
      const items: ScheduleView[] = [];
      for (const r of page.items) items.push(await view(r));
      return { items, nextCursor: page.nextCursor };
    },
    async get(id: string): Promise<ScheduleView> {
      return view(await byId(id));
    },
    async fires(id: string, q: { limit: number; cursor?: string | undefined }): Promise<Page<ScheduleFireView>> {
      await byId(id);
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      return toPage(await schedulesRepo.fires(db, id, after, q.limit + 1), q.limit, (f) => ({
        id: f.id, scheduledAt: f.scheduledAt.toISOString(), firedAt: f.firedAt.toISOString(), outcome: f.outcome as ScheduleFireView['outcome'], runId: f.runId, error: f.error,
      }), (f) => f.id);
    },
    /** Checks outside the transaction: the template or workflow exists, the pattern and zone parse. Answers its name. */
    async prepare(body: ScheduleBody | UpdateScheduleBody, before?: ScheduleRow): Promise<string> {
      // Naming one of them on an update replaces the other.
      const target = body.workflowId || body.templateId ? { templateId: body.templateId ?? null, workflowId: body.workflowId ?? null } : { templateId: before?.templateId ?? null, workflowId: before?.workflowId ?? null };
      if (target.templateId && target.workflowId) throw new AppError('VALIDATION_FAILED', 'body.templateId: give a templateId or a workflowId, not both', { issues: [{ field: 'body.templateId', message: 'not with workflowId' }] });
      const name = await targetName(target);
      if (!name) {
        const field = target.workflowId ? 'body.workflowId' : 'body.templateId';
        throw new AppError(target.workflowId ? 'WORKFLOW_NOT_FOUND' : 'JOB_TEMPLATE_NOT_FOUND', `${field}: no such ${target.workflowId ? 'workflow' : 'job template'}`, { issues: [{ field, message: 'not found' }] });
      }
      cronOf(body.cron ?? before?.cron ?? '', body.timezone ?? before?.timezone ?? 'UTC');
      return name;
    },
    byId,
    async create(ctx: MutationContext, body: ScheduleBody, name: string, userId: string): Promise<ScheduleView> {
      const now = clock.now();
      const row: ScheduleRow = {
        id: uuidv7(now.getTime()), name: body.name, templateId: body.templateId ?? null, workflowId: body.workflowId ?? null, cron: body.cron, timezone: body.timezone, enabled: body.enabled, overlap: body.overlap,
        misfire: body.misfire, nextFireAt: nextAfter(body, now), queued: 0, lastFiredAt: null, lastRunId: null, createdBy: userId, createdAt: now, updatedAt: now,
      };
      await schedulesRepo.insert(ctx.tx, row);
      Object.assign(ctx.audit, { targetType: 'schedule', targetId: row.id, after: row });
      await ctx.emit('schedule.created', { scheduleId: row.id, name: row.name }, { summary: `schedule ${row.name} created (${row.cron} ${row.timezone})`, resourceType: 'schedule', resourceId: row.id });
      return viewWith(row, name);
    },
    async update(ctx: MutationContext, before: ScheduleRow, body: UpdateScheduleBody, name: string): Promise<ScheduleView> {
      const now = clock.now();
      const target = body.workflowId ? { templateId: null, workflowId: body.workflowId } : body.templateId ? { templateId: body.templateId, workflowId: null } : {};
      const merged = { ...before, ...body, ...target, updatedAt: now };
      // A changed pattern, zone or switch starts counting from now.
      const after: ScheduleRow = { ...merged, nextFireAt: nextAfter(merged, now), queued: merged.enabled ? merged.queued : 0 };
      await schedulesRepo.update(ctx.tx, before.id, after);
      Object.assign(ctx.audit, { targetType: 'schedule', targetId: before.id, before, after });
      await ctx.emit('schedule.updated', { scheduleId: before.id, name: after.name, changed: Object.keys(body) }, { summary: `schedule ${after.name} changed`, resourceType: 'schedule', resourceId: before.id });
      return viewWith(after, name);
    },
    async remove(ctx: MutationContext, id: string): Promise<void> {
      const s = await schedulesRepo.byId(ctx.tx, id);
      if (!s) throw new AppError('SCHEDULE_NOT_FOUND');
      await schedulesRepo.remove(ctx.tx, id);
      Object.assign(ctx.audit, { targetType: 'schedule', targetId: id, before: s });
      await ctx.emit('schedule.deleted', { scheduleId: id, name: s.name }, { summary: `schedule ${s.name} deleted`, resourceType: 'schedule', resourceId: id });
    },

    /**
     * Fires what is due at `now` (the loop calls it every second; tests call
     * it with an injected clock). Each due fire is claimed by moving
     * `nextFireAt` on with a conditional UPDATE, so of several servers one
     * fires it. Then held (queued) fires go once their last run has ended.
     */
    async tick(): Promise<void> {
      const now = clock.now();
      for (const s of await schedulesRepo.due(db, now)) {
        const scheduledAt = s.nextFireAt as Date;
        if (!(await schedulesRepo.claim(db, s.id, scheduledAt, nextAfter(s, now)))) continue;
        await fire(s, scheduledAt).catch((err: unknown) => platform.log.error({ err, scheduleId: s.id }, 'schedule fire failed'));
      }
      for (const s of await schedulesRepo.withQueued(db)) {
        if (await lastRunOpen(s)) continue;
        if (!(await schedulesRepo.takeQueued(db, s.id, s.queued))) continue;
        try {
          await record(s, now, 'started', await startRun(s), null);
        } catch (err) {
          await record(s, now, 'failed', null, err instanceof Error ? err.message : String(err));
        }
      }
    },
  };
}

export type ScheduleService = ReturnType<typeof createScheduleService>;
