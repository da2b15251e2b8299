import { and, desc, eq, inArray, isNotNull, lt } from 'drizzle-orm';
import type { JobAlertBody, JobAlertView, Page } from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import type { Db } from '../../platform/db/db.js';
import { AppError } from '../../platform/errors/app-error.js';
import { decodeCursor, toPage } from '../../platform/http/cursor.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PlatformServices } from '../../platform/services.js';
import { jobAlertRules, jobAlertsFired, jobRuns } from './jobs.tables.js';

type RuleRow = typeof jobAlertRules.$inferSelect;
type RunRow = typeof jobRuns.$inferSelect;

/**
 * Job alerts (预警配置): a run that ends failed, partial or killed, or goes on
 * longer than a threshold, is sent to the rule's channels through the notify
 * service. Each (rule, run, kind) is sent once across servers: the first to
 * record it in job_alerts_fired sends.
 */
export function createJobAlertService(deps: { platform: PlatformServices }) {
  const { platform } = deps;
  const { db, clock, notify } = platform;

  const view = (r: RuleRow): JobAlertView => ({
    id: r.id, name: r.name, templateId: r.templateId, on: r.on as JobAlertView['on'], durationOverSec: r.durationOverSec, channelIds: r.channelIds, enabled: r.enabled,
    createdAt: r.createdAt.toISOString(),
  });
  const applies = (rule: RuleRow, run: RunRow): boolean => rule.enabled && (rule.templateId === null || rule.templateId === run.templateId);

  async function ruleById(tx: Db, id: string): Promise<RuleRow> {
    const [row] = await tx.select().from(jobAlertRules).where(eq(jobAlertRules.id, id)).limit(1);
    if (!row) throw new AppError('JOB_ALERT_NOT_FOUND');
    return row;
  }

  /** True for the one caller that recorded this alert first. */
  async function claim(ruleId: string, runId: string, kind: string): Promise<boolean> {
    const rows = await db.insert(jobAlertsFired).values({ ruleId, runId, kind, firedAt: clock.now() }).onConflictDoNothing().returning({ runId: jobAlertsFired.runId });
    return rows.length > 0;
  }

  async function alert(rule: RuleRow, run: RunRow, kind: string, text: string): Promise<void> {
    if (!(await claim(rule.id, run.id, kind))) return;
    await notify.send(rule.channelIds, {
      title: `Job ${run.name}: ${kind === 'duration' ? 'running long' : run.status}`, text, severity: kind === 'duration' ? 'warning' : 'critical',
      link: `/jobs/runs/${run.id}`, source: `job-alert:${rule.id}`,
    });
  }

  return {
    async list(q: { limit: number; cursor?: string | undefined }): Promise<Page<JobAlertView>> {
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      const rows = await db.select().from(jobAlertRules).where(after ? lt(jobAlertRules.id, after) : undefined).orderBy(desc(jobAlertRules.id)).limit(q.limit + 1);
      return toPage(rows, q.limit, view, (r) => r.id);
    },
    /** Checks outside the transaction: the channels exist. */
    async prepare(body: JobAlertBody): Promise<void> {
      const found = await notify.existing(body.channelIds);
      const missing = body.channelIds.filter((id) => !found.has(id));
      if (missing.length) throw new AppError('NOTIFY_CHANNEL_NOT_FOUND', `No such channel: ${missing.join(', ')}`, { issues: [{ field: 'body.channelIds', message: `unknown channel ${missing.join(', ')}` }] });
      if (!body.on.length && body.durationOverSec === undefined) {
        throw new AppError('VALIDATION_FAILED', 'body.on: name an outcome or set durationOverSec, or the alert never fires', { issues: [{ field: 'body.on', message: 'empty without durationOverSec' }] });
      }
    },
    async create(ctx: MutationContext, body: JobAlertBody, userId: string): Promise<JobAlertView> {
      const now = clock.now();
      const row: RuleRow = {
        id: uuidv7(now.getTime()), name: body.name, templateId: body.templateId ?? null, on: body.on, durationOverSec: body.durationOverSec ?? null, channelIds: body.channelIds,
        enabled: body.enabled, createdBy: userId, createdAt: now,
      };
      await ctx.tx.insert(jobAlertRules).values(row);
      Object.assign(ctx.audit, { targetType: 'job_alert', targetId: row.id, after: view(row) });
      await ctx.emit('job.alert.created', { alertId: row.id, name: row.name }, { summary: `job alert ${row.name} created`, resourceType: 'job_alert', resourceId: row.id });
      return view(row);
    },
    get: async (id: string): Promise<JobAlertView> => view(await ruleById(db, id)),
    async replace(ctx: MutationContext, id: string, body: JobAlertBody): Promise<JobAlertView> {
      const before = await ruleById(ctx.tx, id);
      const after: RuleRow = { ...before, name: body.name, templateId: body.templateId ?? null, on: body.on, durationOverSec: body.durationOverSec ?? null, channelIds: body.channelIds, enabled: body.enabled };
      await ctx.tx.update(jobAlertRules).set(after).where(eq(jobAlertRules.id, id));
      Object.assign(ctx.audit, { targetType: 'job_alert', targetId: id, before: view(before), after: view(after) });
      await ctx.emit('job.alert.updated', { alertId: id, name: after.name }, { summary: `job alert ${after.name} changed`, resourceType: 'job_alert', resourceId: id });
      return view(after);
    },
    async remove(ctx: MutationContext, id: string): Promise<void> {
      const row = await ruleById(ctx.tx, id);
      await ctx.tx.delete(jobAlertRules).where(eq(jobAlertRules.id, id));
      Object.assign(ctx.audit, { targetType: 'job_alert', targetId: id, before: view(row) });
      await ctx.emit('job.alert.deleted', { alertId: id, name: row.name }, { summary: `job alert ${row.name} deleted`, resourceType: 'job_alert', resourceId: id });
    },

    /** A run ended (job.run.finished, from any server): the rules naming its outcome send. */
    async runFinished(runId: string): Promise<void> {
      const [run] = await db.select().from(jobRuns).where(eq(jobRuns.id, runId)).limit(1);
      if (!run) return;
      for (const rule of await db.select().from(jobAlertRules).where(eq(jobAlertRules.enabled, true))) {
        if (applies(rule, run) && rule.on.includes(run.status)) await alert(rule, run, run.status, `The job ${run.name} ended ${run.status}${run.reason ? `: ${run.reason}` : ''}.`);
      }
    },

    /** Runs going on longer than a rule's threshold (the loop calls it). */
    async checkDurations(): Promise<void> {
      const rules = await db.select().from(jobAlertRules).where(and(eq(jobAlertRules.enabled, true), isNotNull(jobAlertRules.durationOverSec)));
      if (!rules.length) return;
      const now = clock.now().getTime();
      const open = await db.select().from(jobRuns).where(inArray(jobRuns.status, ['running', 'paused', 'killing']));
      for (const run of open) {
        const since = run.startedAt?.getTime();
        if (since === undefined) continue;
        for (const rule of rules) {
          const over = rule.durationOverSec ?? 0;
          if (applies(rule, run) && now - since > over * 1000) {
            await alert(rule, run, 'duration', `The job ${run.name} has been running for over ${over} s (since ${run.startedAt?.toISOString() ?? '?'}).`);
          }
        }
      }
    },
  };
}

export type JobAlertService = ReturnType<typeof createJobAlertService>;
