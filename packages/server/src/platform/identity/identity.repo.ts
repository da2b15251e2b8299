import { and, asc, eq, gt, ilike, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../db/db.js';
import { AppError } from '../errors/app-error.js';
import { teamMembers, teams, users } from './identity.tables.js';
import { escapeLike } from '../db/like.js';

export type UserRow = typeof users.$inferSelect;
export type TeamRow = typeof teams.$inferSelect;

/**
 * Every id in `wanted` must exist (per `existing`); else a 404 naming the
 * field and the missing ids. Returns the ids without duplicates.
 */
export async function requireAllExist(
  wanted: string[],
  existing: (ids: string[]) => Promise<string[]>,
  error: { code: 'USER_NOT_FOUND' | 'TEAM_NOT_FOUND'; noun: string; field: string },
): Promise<string[]> {
  const unique = [...new Set(wanted)];
  const found = await existing(unique);
  const missing = unique.filter((id) => !found.includes(id));
  if (missing.length) {
    throw new AppError(error.code, `No such ${error.noun}: ${missing.join(', ')}`, {
      issues: [{ field: error.field, message: `unknown ${error.noun} ${missing.join(', ')}` }],
    });
  }
  return unique;
}

export const identityRepo = {
  async userById(db: Db, id: string): Promise<UserRow | undefined> {
    const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
    return row;
  },
  async userByName(db: Db, username: string): Promise<UserRow | undefined> {
    const [row] = await db.select().from(users).where(eq(users.username, username)).limit(1);
    return row;
  },
  async countUsers(db: Db): Promise<number> {
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
    return row?.n ?? 0;
  },
  listUsers(db: Db, f: { q?: string | undefined; status?: string | undefined; teamId?: string | undefined }, after: string | undefined, limit: number) {
    const like = f.q ? `%${escapeLike(f.q)}%` : undefined;
    return db
      .select()
      .from(users)
      .where(
        and(
          like ? or(ilike(users.username, like), ilike(users.displayName, like), ilike(users.email, like)) : undefined,
          f.status ? eq(users.status, f.status as 'active' | 'disabled') : undefined,
          f.teamId ? inArray(users.id, db.select({ id: teamMembers.userId }).from(teamMembers).where(eq(teamMembers.teamId, f.teamId))) : undefined,
          after ? gt(users.username, after) : undefined,
        ),
      )
      .orderBy(asc(users.username))
      .limit(limit);
  },
  async insertUser(db: Db, row: typeof users.$inferInsert): Promise<UserRow> {
    const [created] = await db.insert(users).values(row).returning();
    if (!created) throw new Error('insert users returned nothing');
    return created;
  },
  async updateUser(db: Db, id: string, set: Partial<typeof users.$inferInsert>): Promise<UserRow | undefined> {
    const [row] = await db.update(users).set(set).where(eq(users.id, id)).returning();
    return row;
  },
  async deleteUser(db: Db, id: string): Promise<void> {
    await db.delete(users).where(eq(users.id, id));
  },
  async existingUserIds(db: Db, ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    return (await db.select({ id: users.id }).from(users).where(inArray(users.id, ids))).map((r) => r.id);
  },

  /** id → username for those of `ids` that exist. */
  async usernamesOf(db: Db, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await db.select({ id: users.id, username: users.username }).from(users).where(inArray(users.id, ids));
    return new Map(rows.map((r) => [r.id, r.username]));
  },
  /** username → id for those of `names` (lower-case) that exist. */
  async idsOfUsernames(db: Db, names: string[]): Promise<Map<string, string>> {
    if (!names.length) return new Map();
    const rows = await db.select({ id: users.id, username: users.username }).from(users).where(inArray(users.username, names));
    return new Map(rows.map((r) => [r.username, r.id]));
  },

  /** team ids per user */
  async teamIdsOf(db: Db, userIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (!userIds.length) return out;
    const rows = await db.select().from(teamMembers).where(inArray(teamMembers.userId, userIds));
    for (const r of rows) out.set(r.userId, [...(out.get(r.userId) ?? []), r.teamId]);
    return out;
  },
  /** member ids per team */
  async memberIdsOf(db: Db, teamIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (!teamIds.length) return out;
    const rows = await db.select().from(teamMembers).where(inArray(teamMembers.teamId, teamIds));
    for (const r of rows) out.set(r.teamId, [...(out.get(r.teamId) ?? []), r.userId]);
    return out;
  },
  async setUserTeams(db: Db, userId: string, teamIds: string[]): Promise<void> {
    await db.delete(teamMembers).where(eq(teamMembers.userId, userId));
    if (teamIds.length) await db.insert(teamMembers).values(teamIds.map((teamId) => ({ teamId, userId })));
  },
  async setTeamMembers(db: Db, teamId: string, userIds: string[]): Promise<void> {
    await db.delete(teamMembers).where(eq(teamMembers.teamId, teamId));
    if (userIds.length) await db.insert(teamMembers).values(userIds.map((userId) => ({ teamId, userId })));
  },

  async teamById(db: Db, id: string): Promise<TeamRow | undefined> {
    const [row] = await db.select().from(teams).where(eq(teams.id, id)).limit(1);
    return row;
  },
  async teamByName(db: Db, name: string): Promise<TeamRow | undefined> {
    const [row] = await db.select().from(teams).where(eq(teams.name, name)).limit(1);
    return row;
  },
  async existingTeamIds(db: Db, ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    return (await db.select({ id: teams.id }).from(teams).where(inArray(teams.id, ids))).map((r) => r.id);
  },
  listTeams(db: Db, q: string | undefined, after: string | undefined, limit: number) {
    return db
      .select()
      .from(teams)
      .where(and(q ? ilike(teams.name, `%${escapeLike(q)}%`) : undefined, after ? gt(teams.name, after) : undefined))
      .orderBy(asc(teams.name))
      .limit(limit);
  },
  async insertTeam(db: Db, row: typeof teams.$inferInsert): Promise<TeamRow> {
    const [created] = await db.insert(teams).values(row).returning();
    if (!created) throw new Error('insert teams returned nothing');
    return created;
  },
  async updateTeam(db: Db, id: string, set: Partial<typeof teams.$inferInsert>): Promise<TeamRow | undefined> {
    const [row] = await db.update(teams).set(set).where(eq(teams.id, id)).returning();
    return row;
  },
  async deleteTeam(db: Db, id: string): Promise<void> {
    await db.delete(teams).where(eq(teams.id, id));
  },
};
