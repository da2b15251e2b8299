import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { WorkflowRunState } from '@opsline/contracts';
import type { Db } from '../../platform/db/db.js';
import { workflowRuns, workflows } from './workflows.tables.js';

export type WorkflowRow = typeof workflows.$inferSelect;
export type WorkflowRunRow = typeof workflowRuns.$inferSelect;

export const workflowsRepo = {
  async insert(db: Db, row: WorkflowRow): Promise<void> {
    await db.insert(workflows).values(row);
  },
  async byId(db: Db, id: string): Promise<WorkflowRow | undefined> {
    const [row] = await db.select().from(workflows).where(eq(workflows.id, id)).limit(1);
    return row;
  },
  async update(db: Db, id: string, set: Partial<WorkflowRow>): Promise<void> {
    await db.update(workflows).set(set).where(eq(workflows.id, id));
  },
  async remove(db: Db, id: string): Promise<void> {
    await db.delete(workflows).where(eq(workflows.id, id));
  },
  list(db: Db, after: string | undefined, limit: number): Promise<WorkflowRow[]> {
    return db.select().from(workflows).where(after ? lt(workflows.id, after) : undefined).orderBy(desc(workflows.id)).limit(limit);
  },

  async insertRun(db: Db, row: WorkflowRunRow): Promise<void> {
    await db.insert(workflowRuns).values(row);
  },
  async runById(db: Db, id: string): Promise<WorkflowRunRow | undefined> {
    const [row] = await db.select().from(workflowRuns).where(eq(workflowRuns.id, id)).limit(1);
    return row;
  },
  async updateRun(db: Db, id: string, set: Partial<WorkflowRunRow>): Promise<void> {
    await db.update(workflowRuns).set(set).where(eq(workflowRuns.id, id));
  },
  /** Replaces the state of the given steps only (others may be noting output meanwhile), and sets the run's status. */
  async saveSteps(db: Db, id: string, steps: Record<string, unknown>, status: WorkflowRunState): Promise<void> {
    await db.execute(sql`update ${workflowRuns} set state = state || ${JSON.stringify(steps)}::jsonb, status = ${status} where id = ${id}`);
  },
  /**
   * Merges what a running step noted into its output (one statement: no read-modify-write race with the driver).
   * An output not yet an object (JSON null while the step starts) counts as `{}`: `null || {…}` would make an array.
   */
  async noteStep(db: Db, id: string, key: string, output: Record<string, unknown>): Promise<void> {
    await db.execute(sql`
      update ${workflowRuns} set state = jsonb_set(
        state, ${`{${key},output}`}::text[],
        (case when jsonb_typeof(state->${key}->'output') = 'object' then state->${key}->'output' else '{}'::jsonb end) || ${JSON.stringify(output)}::jsonb)
      where id = ${id}`);
  },
  listRuns(db: Db, f: { workflowId?: string | undefined; status?: WorkflowRunState | undefined }, after: string | undefined, limit: number): Promise<WorkflowRunRow[]> {
    return db
      .select()
      .from(workflowRuns)
      .where(and(f.workflowId ? eq(workflowRuns.workflowId, f.workflowId) : undefined, f.status ? eq(workflowRuns.status, f.status) : undefined, after ? lt(workflowRuns.id, after) : undefined))
      .orderBy(desc(workflowRuns.id))
      .limit(limit);
  },
  openRuns(db: Db): Promise<{ id: string }[]> {
    return db.select({ id: workflowRuns.id }).from(workflowRuns).where(inArray(workflowRuns.status, ['running', 'waiting']));
  },
};
