import { and, asc, desc, eq, ilike, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { JobHostState, JobRunState } from '@opsline/contracts';
import { rowsOf, type Db } from '../../platform/db/db.js';
import { escapeLike } from '../../platform/db/like.js';
import { jobRunHosts, jobRuns, jobTemplates } from './jobs.tables.js';

export type TemplateRow = typeof jobTemplates.$inferSelect;
export type RunRow = typeof jobRuns.$inferSelect;
export type RunHostRow = typeof jobRunHosts.$inferSelect;

/** A host's outcome, as a run driver writes many at once. */
export interface HostOutcome {
  hostId: string;
  status: JobHostState;
  exitCode: number | null;
  error: string | null;
  finishedAt: Date;
}

const OPEN_RUN: JobRunState[] = ['pending', 'running', 'paused', 'killing'];

export const jobsRepo = {
  // ------------------------------------------------------------- templates
  async insertTemplate(db: Db, row: TemplateRow): Promise<void> {
    await db.insert(jobTemplates).values(row);
  },
  async templateById(db: Db, id: string): Promise<TemplateRow | undefined> {
    const [row] = await db.select().from(jobTemplates).where(eq(jobTemplates.id, id)).limit(1);
    return row;
  },
  async updateTemplate(db: Db, id: string, set: Partial<TemplateRow>): Promise<void> {
    await db.update(jobTemplates).set(set).where(eq(jobTemplates.id, id));
  },
  async deleteTemplate(db: Db, id: string): Promise<void> {
    await db.delete(jobTemplates).where(eq(jobTemplates.id, id));
  },
  listTemplates(db: Db, q: string | undefined, after: string | undefined, limit: number): Promise<TemplateRow[]> {
    return db
      .select()
      .from(jobTemplates)
      .where(and(q ? ilike(jobTemplates.name, `%${escapeLike(q)}%`) : undefined, after ? lt(jobTemplates.id, after) : undefined))
      .orderBy(desc(jobTemplates.id))
      .limit(limit);
  },

  // ------------------------------------------------------------------ runs
  async insertRun(db: Db, run: RunRow, hosts: RunHostRow[]): Promise<void> {
    await db.insert(jobRuns).values(run);
    for (let i = 0; i < hosts.length; i += 500) await db.insert(jobRunHosts).values(hosts.slice(i, i + 500));
  },
  async runById(db: Db, id: string): Promise<RunRow | undefined> {
    const [row] = await db.select().from(jobRuns).where(eq(jobRuns.id, id)).limit(1);
    return row;
  },
  async updateRun(db: Db, id: string, set: Partial<RunRow>): Promise<void> {
    await db.update(jobRuns).set(set).where(eq(jobRuns.id, id));
  },
  listRuns(db: Db, f: { status?: JobRunState | undefined; templateId?: string | undefined }, after: string | undefined, limit: number): Promise<RunRow[]> {
    return db
      .select()
      .from(jobRuns)
      .where(and(f.status ? eq(jobRuns.status, f.status) : undefined, f.templateId ? eq(jobRuns.templateId, f.templateId) : undefined, after ? lt(jobRuns.id, after) : undefined))
      .orderBy(desc(jobRuns.id))
      .limit(limit);
  },
  /** Claims runs nobody drives (no owner, or its lease ran out); answers their ids. */
  async adoptRuns(db: Db, owner: string, now: Date, leaseUntil: Date, anyLease = false): Promise<string[]> {
    const rows = await db
      .update(jobRuns)
      .set({ owner, leaseUntil })
      .where(and(inArray(jobRuns.status, OPEN_RUN), anyLease ? undefined : or(isNull(jobRuns.owner), lt(jobRuns.leaseUntil, now), eq(jobRuns.owner, owner))))
      .returning({ id: jobRuns.id });
    return rows.map((r) => r.id);
  },
  /** Renews this server's lease on the runs it drives; answers those it still holds. */
  async renewLeases(db: Db, owner: string, ids: string[], leaseUntil: Date): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await db
      .update(jobRuns)
      .set({ leaseUntil })
      .where(and(inArray(jobRuns.id, ids), eq(jobRuns.owner, owner)))
      .returning({ id: jobRuns.id });
    return rows.map((r) => r.id);
  },

  // ------------------------------------------------------------- run hosts
  runHosts(db: Db, runId: string): Promise<RunHostRow[]> {
    return db.select().from(jobRunHosts).where(eq(jobRunHosts.runId, runId)).orderBy(asc(jobRunHosts.seq));
  },
  async runHost(db: Db, runId: string, hostId: string): Promise<RunHostRow | undefined> {
    const [row] = await db.select().from(jobRunHosts).where(and(eq(jobRunHosts.runId, runId), eq(jobRunHosts.hostId, hostId))).limit(1);
    return row;
  },
  pageRunHosts(db: Db, runId: string, f: { status?: JobHostState | undefined; q?: string | undefined }, afterSeq: number | undefined, limit: number): Promise<RunHostRow[]> {
    const like = f.q ? `%${escapeLike(f.q)}%` : undefined;
    return db
      .select()
      .from(jobRunHosts)
      .where(
        and(
          eq(jobRunHosts.runId, runId),
          f.status ? eq(jobRunHosts.status, f.status) : undefined,
          like ? or(ilike(jobRunHosts.hostname, like), ilike(jobRunHosts.ip, like)) : undefined,
          afterSeq !== undefined ? sql`${jobRunHosts.seq} > ${afterSeq}` : undefined,
        ),
      )
      .orderBy(asc(jobRunHosts.seq))
      .limit(limit);
  },
  async hostCounts(db: Db, runId: string): Promise<{ status: JobHostState; n: number }[]> {
    const rows = await db
      .select({ status: jobRunHosts.status, n: sql<number>`count(*)::int` })
      .from(jobRunHosts)
      .where(eq(jobRunHosts.runId, runId))
      .groupBy(jobRunHosts.status);
    return rows.map((r) => ({ status: r.status as JobHostState, n: r.n }));
  },
  /** Hosts started: running, with their task, in one statement. */
  async markStarted(db: Db, runId: string, started: { hostId: string; taskId: string }[], at: Date): Promise<void> {
    if (!started.length) return;
    const doc = JSON.stringify(started.map((s) => ({ host_id: s.hostId, task_id: s.taskId })));
    await db.execute(sql`
      update ${jobRunHosts} as h set status = 'running', task_id = r.task_id, started_at = ${at.toISOString()}::timestamptz,
        finished_at = null, exit_code = null, error = null, attempt = h.attempt + 1
      from jsonb_to_recordset(${doc}::jsonb) as r(host_id uuid, task_id uuid)
      where h.run_id = ${runId} and h.host_id = r.host_id`);
  },
  /** Hosts ended (results, skips, kills), in one statement. */
  async markEnded(db: Db, runId: string, outcomes: HostOutcome[]): Promise<void> {
    if (!outcomes.length) return;
    const doc = JSON.stringify(
      outcomes.map((o) => ({ host_id: o.hostId, status: o.status, exit_code: o.exitCode, error: o.error, finished_at: o.finishedAt.toISOString() })),
    );
    await db.execute(sql`
      update ${jobRunHosts} as h set status = r.status, exit_code = r.exit_code, error = r.error, finished_at = r.finished_at
      from jsonb_to_recordset(${doc}::jsonb) as r(host_id uuid, status text, exit_code integer, error text, finished_at timestamptz)
      where h.run_id = ${runId} and h.host_id = r.host_id`);
  },
  async setHostsStatus(db: Db, runId: string, hostIds: string[], status: JobHostState): Promise<void> {
    if (!hostIds.length) return;
    await db.update(jobRunHosts).set({ status }).where(and(eq(jobRunHosts.runId, runId), inArray(jobRunHosts.hostId, hostIds)));
  },
  /** Hosts of other open runs of a template running now (per-host exclusivity). */
  async busyHosts(db: Db, templateId: string, runId: string, hostIds: string[]): Promise<Set<string>> {
    if (!hostIds.length) return new Set();
    const result = await db.execute(sql`
      select h.host_id from ${jobRunHosts} h join ${jobRuns} r on r.id = h.run_id
      where r.template_id = ${templateId} and r.id <> ${runId} and h.status = 'running'
        and h.host_id in (${sql.join(hostIds.map((id) => sql`${id}::uuid`), sql`, `)})`);
    return new Set(rowsOf<{ host_id: string }>(result).map((r) => r.host_id));
  },
  /** Runs of a template other than this one that are still open (for the console's warning). */
  async openRunsOfTemplate(db: Db, templateId: string, exceptRunId: string): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(jobRuns)
      .where(and(eq(jobRuns.templateId, templateId), ne(jobRuns.id, exceptRunId), inArray(jobRuns.status, OPEN_RUN)));
    return row?.n ?? 0;
  },
};
