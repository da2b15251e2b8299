import { and, desc, eq, lt, ne, or } from 'drizzle-orm';
import type { Db } from '../db/db.js';
import { users } from '../identity/identity.tables.js';
import { apiTokens, sessions } from './auth.tables.js';

export type SessionRow = typeof sessions.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;

/** Sessions and API tokens, each joined with the user's name and status for the request's principal. */
export const credentialsRepo = {
  async sessionByHash(db: Db, tokenHash: string) {
    const [row] = await db
      .select({ session: sessions, username: users.username, status: users.status })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.tokenHash, tokenHash))
      .limit(1);
    return row;
  },
  async tokenByHash(db: Db, tokenHash: string) {
    const [row] = await db
      .select({ token: apiTokens, username: users.username, status: users.status })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(eq(apiTokens.tokenHash, tokenHash))
      .limit(1);
    return row;
  },
  async insertSession(db: Db, row: typeof sessions.$inferInsert): Promise<void> {
    await db.insert(sessions).values(row);
  },
  async deleteSession(db: Db, id: string): Promise<void> {
    await db.delete(sessions).where(eq(sessions.id, id));
  },
  async deleteSessionByHash(db: Db, tokenHash: string): Promise<void> {
    await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
  },
  async deleteUserSessions(db: Db, userId: string, exceptId?: string): Promise<void> {
    const mine = eq(sessions.userId, userId);
    await db.delete(sessions).where(exceptId ? and(mine, ne(sessions.id, exceptId)) : mine);
  },
  async touchSession(db: Db, id: string, at: Date): Promise<void> {
    await db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.id, id));
  },
  async deleteExpiredSessions(db: Db, now: Date, idleCutoff: Date): Promise<number> {
    const gone = await db
      .delete(sessions)
      .where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, idleCutoff)))
      .returning({ id: sessions.id });
    return gone.length;
  },
  async insertToken(db: Db, row: typeof apiTokens.$inferInsert): Promise<ApiTokenRow> {
    const [created] = await db.insert(apiTokens).values(row).returning();
    if (!created) throw new Error('insert api_tokens returned nothing');
    return created;
  },
  listTokens(db: Db, userId: string): Promise<ApiTokenRow[]> {
    return db.select().from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.id));
  },
  async tokenById(db: Db, id: string): Promise<ApiTokenRow | undefined> {
    const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, id)).limit(1);
    return row;
  },
  async deleteToken(db: Db, id: string): Promise<void> {
    await db.delete(apiTokens).where(eq(apiTokens.id, id));
  },
  async touchToken(db: Db, id: string, at: Date): Promise<void> {
    await db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id));
  },
};
