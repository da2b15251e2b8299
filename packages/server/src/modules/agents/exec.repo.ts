import { and, asc, eq, gt, inArray, notInArray, or, sql } from 'drizzle-orm';
import { RUN_TASK_TAIL_CHARS, type ExecTaskState } from '@opsline/contracts';
import { rowsOf, type Db } from '../../platform/db/db.js';
import { execTasks } from './agent.tables.js';

export type ExecTaskRow = typeof execTasks.$inferSelect;
/** A task as a run's list shows it: output cut to its last characters. */
export type RunTaskRow = ExecTaskRow & { outputCut: boolean };

/** What recording a result writes. `agentId` set: only that agent's task takes it. */
export interface FinishRow {
  id: string;
  agentId: string | null;
  status: string;
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  stdoutBytes: number;
  stderrBytes: number;
  error: string | null;
  startedAt: Date | null;
  finishedAt: Date;
}

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters. */
const INSERT_CHUNK = 500;
const OPEN = ['queued', 'running'];

/** PostgreSQL text cannot hold NUL: a task that printed one keeps a visible ␀ in its place. */
const noNul = (s: string): string => (s.includes('\0') ? s.replaceAll('\0', '\u2400') : s);

export const execRepo = {
  async insertTasks(db: Db, rows: (typeof execTasks.$inferInsert)[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await db.insert(execTasks).values(rows.slice(i, i + INSERT_CHUNK));
  },
  async taskById(db: Db, id: string): Promise<ExecTaskRow | undefined> {
    const [row] = await db.select().from(execTasks).where(eq(execTasks.id, id)).limit(1);
    return row;
  },
  /** Unfinished tasks of an agent (to re-send, re-attach or mark lost). */
  openTasksOfAgent(db: Db, agentId: string): Promise<ExecTaskRow[]> {
    return db.select().from(execTasks).where(and(eq(execTasks.agentId, agentId), inArray(execTasks.status, OPEN))).orderBy(asc(execTasks.id));
  },
  /** A run's tasks still queued (to send those whose agents are connected here). */
  queuedOfRun(db: Db, runId: string): Promise<ExecTaskRow[]> {
    return db.select().from(execTasks).where(and(eq(execTasks.runId, runId), eq(execTasks.status, 'queued'))).orderBy(asc(execTasks.id));
  },
  /** Which of these tasks have a result. */
  finishedAmong(db: Db, ids: string[]): Promise<ExecTaskRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return db.select().from(execTasks).where(and(inArray(execTasks.id, ids), notInArray(execTasks.status, OPEN)));
  },
  /** Queued tasks sent to their hosts: one statement for a whole run. */
  async markRunning(db: Db, ids: string[], at: Date): Promise<void> {
    if (!ids.length) return;
    await db.update(execTasks).set({ status: 'running', startedAt: at }).where(and(inArray(execTasks.id, ids), eq(execTasks.status, 'queued')));
  },
  /** Records a result once: only a task still queued or running takes it. True when this call recorded it. */
  async finish(db: Db, row: FinishRow): Promise<boolean> {
    const { id, agentId, ...set } = row;
    const rows = await db
      .update(execTasks)
      .set({ ...set, stdout: noNul(set.stdout), stderr: noNul(set.stderr), error: set.error === null ? null : noNul(set.error) })
      .where(and(eq(execTasks.id, id), agentId ? eq(execTasks.agentId, agentId) : undefined, or(eq(execTasks.status, 'queued'), eq(execTasks.status, 'running'))))
      .returning({ id: execTasks.id });
    return rows.length > 0;
  },
  /**
   * Records many results in one statement (the results of a fan-out arrive
   * together); answers the ids this call recorded — a repeat, or a task of
   * another agent, is not among them.
   */
  async finishMany(db: Db, rows: FinishRow[]): Promise<Set<string>> {
    if (!rows.length) return new Set();
    const doc = JSON.stringify(
      rows.map((r) => ({
        id: r.id, agent_id: r.agentId, status: r.status, exit_code: r.exitCode, signal: r.signal, stdout: noNul(r.stdout), stderr: noNul(r.stderr),
        stdout_bytes: r.stdoutBytes, stderr_bytes: r.stderrBytes, error: r.error === null ? null : noNul(r.error),
        started_at: r.startedAt?.toISOString() ?? null, finished_at: r.finishedAt.toISOString(),
      })),
    );
    const result = await db.execute(sql`
      update ${execTasks} as t set
        status = r.status, exit_code = r.exit_code, signal = r.signal, stdout = r.stdout, stderr = r.stderr,
        stdout_bytes = r.stdout_bytes, stderr_bytes = r.stderr_bytes, error = r.error, started_at = r.started_at, finished_at = r.finished_at
      from jsonb_to_recordset(${doc}::jsonb) as r(
        id uuid, agent_id uuid, status text, exit_code integer, signal text, stdout text, stderr text,
        stdout_bytes bigint, stderr_bytes bigint, error text, started_at timestamptz, finished_at timestamptz)
      where t.id = r.id and (r.agent_id is null or t.agent_id = r.agent_id) and t.status in ('queued', 'running')
      returning t.id`);
    return new Set(rowsOf<{ id: string }>(result).map((r) => r.id));
  },

  /** How many of a run's tasks are in each state; empty when there is no such run. */
  async runCounts(db: Db, runId: string): Promise<{ status: ExecTaskState; n: number; createdAt: Date; createdBy: string | null; finishedAt: Date | null }[]> {
    const rows = await db
      .select({
        status: execTasks.status,
        n: sql<number>`count(*)::int`,
        createdAt: sql<Date>`min(${execTasks.createdAt})`.mapWith(execTasks.createdAt),
        createdBy: sql<string | null>`min(${execTasks.createdBy}::text)`,
        finishedAt: sql<Date | null>`max(${execTasks.finishedAt})`.mapWith(execTasks.finishedAt),
      })
      .from(execTasks)
      .where(eq(execTasks.runId, runId))
      .groupBy(execTasks.status);
    return rows.map((r) => ({ ...r, status: r.status as ExecTaskState }));
  },
  /** Host ids of a run's tasks (to check who may follow it). */
  async runHostIds(db: Db, runId: string): Promise<string[]> {
    const rows = await db.selectDistinct({ hostId: execTasks.hostId }).from(execTasks).where(eq(execTasks.runId, runId));
    return rows.map((r) => r.hostId);
  },
  /** A page of a run's tasks in the order they were made, output cut to its last characters. */
  async runTasks(db: Db, runId: string, f: { status?: ExecTaskState | undefined }, after: string | undefined, limit: number): Promise<RunTaskRow[]> {
    const cut = (c: typeof execTasks.stdout | typeof execTasks.stderr) => sql<string>`right(${c}, ${RUN_TASK_TAIL_CHARS})`;
    const rows = await db
      .select({
        id: execTasks.id, runId: execTasks.runId, hostId: execTasks.hostId, hostname: execTasks.hostname, agentId: execTasks.agentId, executor: execTasks.executor,
        script: sql<string>`''`, request: execTasks.request, sealedEnv: sql<null>`null`, status: execTasks.status, exitCode: execTasks.exitCode, signal: execTasks.signal,
        stdout: cut(execTasks.stdout), stderr: cut(execTasks.stderr), stdoutBytes: execTasks.stdoutBytes, stderrBytes: execTasks.stderrBytes, error: execTasks.error,
        createdBy: execTasks.createdBy, createdAt: execTasks.createdAt, startedAt: execTasks.startedAt, finishedAt: execTasks.finishedAt,
        outputCut: sql<boolean>`(length(${execTasks.stdout}) > ${RUN_TASK_TAIL_CHARS} or length(${execTasks.stderr}) > ${RUN_TASK_TAIL_CHARS})`,
      })
      .from(execTasks)
      .where(and(eq(execTasks.runId, runId), f.status ? eq(execTasks.status, f.status) : undefined, after ? gt(execTasks.id, after) : undefined))
      .orderBy(asc(execTasks.id))
      .limit(limit);
    return rows;
  },
};
