import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/db.js';
import { teamMembers, teams, users } from '../identity/identity.tables.js';
import { grants, roles } from './rbac.tables.js';

export type RoleRow = typeof roles.$inferSelect;
export type GrantRow = typeof grants.$inferSelect;

export interface GrantFilter {
  userId?: string | undefined;
  teamId?: string | undefined;
  roleId?: string | undefined;
  nodeId?: string | undefined;
}

export const rbacRepo = {
  listRoles(db: Db, after: string | undefined, limit: number): Promise<RoleRow[]> {
    return db.select().from(roles).where(after ? gt(roles.name, after) : undefined).orderBy(asc(roles.name)).limit(limit);
  },
  async roleByName(db: Db, name: string): Promise<RoleRow | undefined> {
    const [row] = await db.select().from(roles).where(eq(roles.name, name)).limit(1);
    return row;
  },
  async roleById(db: Db, id: string): Promise<RoleRow | undefined> {
    const [row] = await db.select().from(roles).where(eq(roles.id, id)).limit(1);
    return row;
  },
  rolesByNames(db: Db, names: string[]): Promise<RoleRow[]> {
    return names.length ? db.select().from(roles).where(inArray(roles.name, names)) : Promise.resolve([]);
  },
  async insertRole(db: Db, row: typeof roles.$inferInsert): Promise<RoleRow> {
    const [created] = await db.insert(roles).values(row).returning();
    if (!created) throw new Error('insert roles returned nothing');
    return created;
  },
  async upsertBuiltinRole(db: Db, row: typeof roles.$inferInsert): Promise<void> {
    await db
      .insert(roles)
      .values(row)
      .onConflictDoUpdate({ target: roles.name, set: { permissions: row.permissions, description: row.description, builtin: true } });
  },
  async updateRole(db: Db, id: string, set: Partial<typeof roles.$inferInsert>): Promise<RoleRow | undefined> {
    const [row] = await db.update(roles).set(set).where(eq(roles.id, id)).returning();
    return row;
  },
  async deleteRole(db: Db, id: string): Promise<void> {
    await db.delete(roles).where(eq(roles.id, id));
  },
  async countGrantsOfRole(db: Db, roleId: string): Promise<number> {
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(grants).where(eq(grants.roleId, roleId));
    return row?.n ?? 0;
  },

  listGrants(db: Db, f: GrantFilter, after: string | undefined, limit: number) {
    return db
      .select({ grant: grants, role: roles.name, username: users.username, teamName: teams.name })
      .from(grants)
      .innerJoin(roles, eq(roles.id, grants.roleId))
      .leftJoin(users, eq(users.id, grants.userId))
      .leftJoin(teams, eq(teams.id, grants.teamId))
      .where(
        and(
          f.userId ? eq(grants.userId, f.userId) : undefined,
          f.teamId ? eq(grants.teamId, f.teamId) : undefined,
          f.roleId ? eq(grants.roleId, f.roleId) : undefined,
          f.nodeId ? eq(grants.nodeId, f.nodeId) : undefined,
          after ? gt(grants.id, after) : undefined,
        ),
      )
      .orderBy(asc(grants.id))
      .limit(limit);
  },
  async grantById(db: Db, id: string) {
    const [row] = await db
      .select({ grant: grants, role: roles.name })
      .from(grants)
      .innerJoin(roles, eq(roles.id, grants.roleId))
      .where(eq(grants.id, id))
      .limit(1);
    return row;
  },
  async insertGrant(db: Db, row: typeof grants.$inferInsert): Promise<GrantRow | undefined> {
    const [created] = await db.insert(grants).values(row).onConflictDoNothing().returning();
    return created;
  },
  async deleteGrant(db: Db, id: string): Promise<void> {
    await db.delete(grants).where(eq(grants.id, id));
  },
  /** Global (node-less) roles granted directly to each of the users. */
  async directGlobalRoles(db: Db, userIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (!userIds.length) return out;
    const rows = await db
      .select({ userId: grants.userId, role: roles.name })
      .from(grants)
      .innerJoin(roles, eq(roles.id, grants.roleId))
      .where(and(inArray(grants.userId, userIds), isNull(grants.nodeId)))
      .orderBy(asc(roles.name));
    for (const r of rows) if (r.userId) out.set(r.userId, [...(out.get(r.userId) ?? []), r.role]);
    return out;
  },
  async deleteDirectGlobalGrants(db: Db, userId: string): Promise<void> {
    await db.delete(grants).where(and(eq(grants.userId, userId), isNull(grants.nodeId)));
  },
  /**
   * Permission lists of every role the user holds, directly or through a team;
   * `nodeIds` null means global grants only, otherwise grants on those nodes too.
   */
  async permissionLists(db: Db, userId: string, nodeIds: string[] | null | 'anywhere'): Promise<string[][]> {
    const scope =
      nodeIds === 'anywhere' ? undefined : nodeIds?.length ? sql`(${grants.nodeId} is null or ${inArray(grants.nodeId, nodeIds)})` : isNull(grants.nodeId);
    const rows = await db
      .select({ permissions: roles.permissions })
      .from(grants)
      .innerJoin(roles, eq(roles.id, grants.roleId))
      .where(
        and(
          scope,
          sql`(${grants.userId} = ${userId} or ${grants.teamId} in (select ${teamMembers.teamId} from ${teamMembers} where ${teamMembers.userId} = ${userId}))`,
        ),
      );
    return rows.map((r) => r.permissions);
  },
  /** The user's node-scoped grants (direct or through teams): node and role permissions. */
  nodeGrants(db: Db, userId: string): Promise<{ nodeId: string | null; permissions: string[] }[]> {
    return db
      .select({ nodeId: grants.nodeId, permissions: roles.permissions })
      .from(grants)
      .innerJoin(roles, eq(roles.id, grants.roleId))
      .where(
        and(
          sql`${grants.nodeId} is not null`,
          sql`(${grants.userId} = ${userId} or ${grants.teamId} in (select ${teamMembers.teamId} from ${teamMembers} where ${teamMembers.userId} = ${userId}))`,
        ),
      );
  },
  /** The user's grants, direct or through teams, that are global or sit on one of `nodeIds`. */
  effectiveGrants(db: Db, userId: string, nodeIds: string[]) {
    return db
      .select({ grant: grants, role: roles.name, permissions: roles.permissions, teamName: teams.name })
      .from(grants)
      .innerJoin(roles, eq(roles.id, grants.roleId))
      .leftJoin(teams, eq(teams.id, grants.teamId))
      .where(
        and(
          nodeIds.length ? sql`(${grants.nodeId} is null or ${inArray(grants.nodeId, nodeIds)})` : isNull(grants.nodeId),
          sql`(${grants.userId} = ${userId} or ${grants.teamId} in (select ${teamMembers.teamId} from ${teamMembers} where ${teamMembers.userId} = ${userId}))`,
        ),
      )
      .orderBy(asc(roles.name));
  },
  /** Every node that carries a grant (few: grants are made by hand). */
  async nodesWithGrants(db: Db): Promise<string[]> {
    const rows = await db.selectDistinct({ nodeId: grants.nodeId }).from(grants).where(sql`${grants.nodeId} is not null`);
    return rows.flatMap((r) => (r.nodeId ? [r.nodeId] : []));
  },
  async countGrantsOnNodes(db: Db, nodeIds: string[]): Promise<number> {
    if (!nodeIds.length) return 0;
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(grants).where(inArray(grants.nodeId, nodeIds));
    return row?.n ?? 0;
  },
  async deleteGrantsOnNodes(db: Db, nodeIds: string[]): Promise<number> {
    if (!nodeIds.length) return 0;
    return (await db.delete(grants).where(inArray(grants.nodeId, nodeIds)).returning({ id: grants.id })).length;
  },
  /** Active users holding `*` globally, directly or through a team. */
  async activeAdminIds(db: Db): Promise<string[]> {
    const result = await db.execute(sql`
      select distinct u.id from ${users} u
      join ${grants} g on g.node_id is null and (g.user_id = u.id or g.team_id in (select team_id from ${teamMembers} m where m.user_id = u.id))
      join ${roles} r on r.id = g.role_id and '*' = any(r.permissions)
      where u.status = 'active'`);
    return rowsOf<{ id: string }>(result).map((r) => r.id);
  },
};
