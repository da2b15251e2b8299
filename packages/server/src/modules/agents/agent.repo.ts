import { and, asc, desc, eq, gt, ilike, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/db.js';
import { agents, enrollmentTokens, execTasks } from './agent.tables.js';
import { escapeLike } from '../../platform/db/like.js';

export type TokenRow = typeof enrollmentTokens.$inferSelect;
export type AgentRow = typeof agents.$inferSelect;
export type ExecTaskRow = typeof execTasks.$inferSelect;

export const agentRepo = {
  async insertToken(db: Db, row: typeof enrollmentTokens.$inferInsert): Promise<TokenRow> {
    const [created] = await db.insert(enrollmentTokens).values(row).returning();
    if (!created) throw new Error('insert enrollment_tokens returned nothing');
    return created;
  },
  listTokens(db: Db, after: string | undefined, limit: number): Promise<TokenRow[]> {
    return db.select().from(enrollmentTokens).where(after ? lt(enrollmentTokens.id, after) : undefined).orderBy(desc(enrollmentTokens.id)).limit(limit);
  },
  async tokenById(db: Db, id: string): Promise<TokenRow | undefined> {
    const [row] = await db.select().from(enrollmentTokens).where(eq(enrollmentTokens.id, id)).limit(1);
    return row;
  },
  async deleteToken(db: Db, id: string): Promise<void> {
    await db.delete(enrollmentTokens).where(eq(enrollmentTokens.id, id));
  },
  /** Counts one use of a live token, atomically; undefined when it is unknown, expired or used up. */
  async redeemToken(db: Db, hash: string, now: Date): Promise<TokenRow | undefined> {
    const [row] = await db
      .update(enrollmentTokens)
      .set({ uses: sql`${enrollmentTokens.uses} + 1` })
      .where(and(eq(enrollmentTokens.tokenHash, hash), gt(enrollmentTokens.expiresAt, now), lt(enrollmentTokens.uses, enrollmentTokens.maxUses)))
      .returning();
    return row;
  },

  async insertAgent(db: Db, row: typeof agents.$inferInsert): Promise<AgentRow> {
    const [created] = await db.insert(agents).values(row).returning();
    if (!created) throw new Error('insert agents returned nothing');
    return created;
  },
  async agentById(db: Db, id: string): Promise<AgentRow | undefined> {
    const [row] = await db.select().from(agents).where(eq(agents.id, id)).limit(1);
    return row;
  },
  async updateAgent(db: Db, id: string, set: Partial<typeof agents.$inferInsert>): Promise<void> {
    await db.update(agents).set(set).where(eq(agents.id, id));
  },
  /** Live (unrevoked) agents of these hosts, newest enrolment first. */
  liveAgentsOfHosts(db: Db, hostIds: string[]): Promise<AgentRow[]> {
    if (!hostIds.length) return Promise.resolve([]);
    return db.select().from(agents).where(and(inArray(agents.hostId, hostIds), isNull(agents.revokedAt))).orderBy(desc(agents.enrolledAt));
  },
  listAgents(db: Db, f: { q?: string | undefined; revoked?: boolean; ids?: string[] }, after: string | undefined, limit: number): Promise<AgentRow[]> {
    return db
      .select()
      .from(agents)
      .where(
        and(
          f.q ? ilike(agents.hostname, `%${escapeLike(f.q)}%`) : undefined,
          f.revoked === undefined ? undefined : f.revoked ? isNotNull(agents.revokedAt) : isNull(agents.revokedAt),
          f.ids ? (f.ids.length ? inArray(agents.id, f.ids) : sql`false`) : undefined,
          after ? gt(agents.hostname, after) : undefined,
        ),
      )
      .orderBy(asc(agents.hostname), asc(agents.id))
      .limit(limit);
  },

  async insertTask(db: Db, row: typeof execTasks.$inferInsert): Promise<void> {
    await db.insert(execTasks).values(row);
  },
  async taskById(db: Db, id: string): Promise<ExecTaskRow | undefined> {
    const [row] = await db.select().from(execTasks).where(eq(execTasks.id, id)).limit(1);
    return row;
  },
  /** Unfinished tasks of an agent (to re-send, re-attach or mark lost). */
  openTasksOfAgent(db: Db, agentId: string): Promise<ExecTaskRow[]> {
    return db.select().from(execTasks).where(and(eq(execTasks.agentId, agentId), inArray(execTasks.status, ['queued', 'running']))).orderBy(asc(execTasks.id));
  },
  async markRunning(db: Db, id: string, at: Date): Promise<void> {
    await db.update(execTasks).set({ status: 'running', startedAt: at }).where(and(eq(execTasks.id, id), eq(execTasks.status, 'queued')));
  },
  /** Records a result once: only a task still queued or running takes it. True when this call recorded it. */
  async finish(db: Db, id: string, set: Partial<typeof execTasks.$inferInsert>): Promise<boolean> {
    const rows = await db
      .update(execTasks)
      .set(set)
      .where(and(eq(execTasks.id, id), or(eq(execTasks.status, 'queued'), eq(execTasks.status, 'running'))))
      .returning({ id: execTasks.id });
    return rows.length > 0;
  },
};
