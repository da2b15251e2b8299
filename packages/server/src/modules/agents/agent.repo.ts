import { and, asc, desc, eq, gt, gte, ilike, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { AgentMetrics, AgentStatus } from '@opsline/contracts';
import type { Db } from '../../platform/db/db.js';
import { agents, enrollmentTokens } from './agent.tables.js';
import { escapeLike } from '../../platform/db/like.js';

export type TokenRow = typeof enrollmentTokens.$inferSelect;
export type AgentRow = typeof agents.$inferSelect;

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
  async tokenByHash(db: Db, hash: string): Promise<TokenRow | undefined> {
    const [row] = await db.select().from(enrollmentTokens).where(eq(enrollmentTokens.tokenHash, hash)).limit(1);
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
  async agentByEnrollmentId(db: Db, enrollmentId: string): Promise<AgentRow | undefined> {
    const [row] = await db.select().from(agents).where(eq(agents.enrollmentId, enrollmentId)).limit(1);
    return row;
  },
  async updateAgent(db: Db, id: string, set: Partial<typeof agents.$inferInsert>): Promise<void> {
    await db.update(agents).set(set).where(eq(agents.id, id));
  },
  /** Last-seen times (and latest metrics, when given) of many agents in one statement. */
  async touchAgents(db: Db, seen: { id: string; at: Date; metrics?: AgentMetrics }[]): Promise<void> {
    if (!seen.length) return;
    const doc = JSON.stringify(seen.map((s) => ({ id: s.id, at: s.at.toISOString(), ...(s.metrics && { metrics: s.metrics }) })));
    await db.execute(sql`
      update ${agents} as a set last_seen_at = (e->>'at')::timestamptz, metrics = coalesce(e->'metrics', a.metrics)
      from jsonb_array_elements(${doc}::jsonb) as e
      where a.id = (e->>'id')::uuid`);
  },
  /** Live (unrevoked) agents of these hosts, newest enrolment first. */
  liveAgentsOfHosts(db: Db, hostIds: string[]): Promise<AgentRow[]> {
    if (!hostIds.length) return Promise.resolve([]);
    return db.select().from(agents).where(and(inArray(agents.hostId, hostIds), isNull(agents.revokedAt))).orderBy(desc(agents.enrolledAt));
  },
  /** Agents by hostname (then id); `status` filters in the query, so pages come back full. */
  listAgents(db: Db, f: { q?: string | undefined; status?: AgentStatus | undefined; onlineSince: Date }, after: string | undefined, limit: number): Promise<AgentRow[]> {
    const online = and(isNull(agents.revokedAt), isNotNull(agents.sessionServer), gte(agents.lastSeenAt, f.onlineSince));
    const offline = and(isNull(agents.revokedAt), or(isNull(agents.sessionServer), isNull(agents.lastSeenAt), lt(agents.lastSeenAt, f.onlineSince)));
    const [afterName, afterId] = after?.split('\u0000') ?? [];
    return db
      .select()
      .from(agents)
      .where(
        and(
          f.q ? ilike(agents.hostname, `%${escapeLike(f.q)}%`) : undefined,
          f.status === 'revoked' ? isNotNull(agents.revokedAt) : f.status === 'online' ? online : f.status === 'offline' ? offline : undefined,
          afterName !== undefined ? or(gt(agents.hostname, afterName), and(eq(agents.hostname, afterName), gt(agents.id, afterId ?? ''))) : undefined,
        ),
      )
      .orderBy(asc(agents.hostname), asc(agents.id))
      .limit(limit);
  },
  /** How many agents are online, offline and revoked. */
  async counts(db: Db, onlineSince: Date): Promise<{ online: number; offline: number; revoked: number }> {
    const [row] = await db
      .select({
        online: sql<number>`count(*) filter (where ${agents.revokedAt} is null and ${agents.sessionServer} is not null and ${agents.lastSeenAt} >= ${onlineSince.toISOString()}::timestamptz)::int`,
        revoked: sql<number>`count(*) filter (where ${agents.revokedAt} is not null)::int`,
        all: sql<number>`count(*)::int`,
      })
      .from(agents);
    const online = row?.online ?? 0;
    const revoked = row?.revoked ?? 0;
    return { online, revoked, offline: (row?.all ?? 0) - online - revoked };
  },
  /** Clears the stream's server, if it is still this one. */
  async releaseSession(db: Db, agentId: string, serverId: string): Promise<void> {
    await db.update(agents).set({ sessionServer: null }).where(and(eq(agents.id, agentId), eq(agents.sessionServer, serverId)));
  },
};
