import {
  BUILTIN_ROLES, PERMISSIONS, permits, type CreateGrantBody, type CreateRoleBody, type GrantListQuery, type GrantView,
  type Page, type RoleView, type UpdateRoleBody,
} from '@opsline/contracts';
import type { Clock } from '../clock.js';
import type { Db } from '../db/db.js';
import { AppError } from '../errors/app-error.js';
import { decodeCursor, toPage } from '../http/cursor.js';
import { uuidv7 } from '../ids.js';
import type { MutationContext } from '../audit/mutation.js';
import { TtlCache } from '../auth/ttl-cache.js';
import { rbacRepo, type RoleRow } from './rbac.repo.js';

/**
 * Maps a tree node to itself and its ancestors (empty: no such node); the tree
 * module installs the real one. Inside a transaction pass it (PGlite has one connection).
 */
export type NodeAncestry = (nodeId: string, tx?: Db) => Promise<string[]>;

function roleView(r: RoleRow): RoleView {
  return {
    id: r.id, name: r.name, description: r.description, permissions: r.permissions, builtin: r.builtin,
    createdAt: r.createdAt.toISOString(),
  };
}

export function createRbacService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const globalCache = new TtlCache<string[]>(10_000);
  let ancestry: NodeAncestry = (nodeId) => Promise.resolve([nodeId]);
  const listeners: (() => void)[] = [];
  const invalidate = (): void => {
    globalCache.clear();
    for (const l of listeners) l();
  };

  /** Inside a transaction pass it: PGlite has one connection. */
  async function globalPermissions(userId: string, tx: Db = db): Promise<string[]> {
    const hit = globalCache.get(userId);
    if (hit) return hit;
    const lists = await rbacRepo.permissionLists(tx, userId, null);
    const merged = [...new Set(lists.flat())].sort();
    globalCache.set(userId, merged);
    return merged;
  }

  async function requireRole(tx: Db, name: string): Promise<RoleRow> {
    const role = await rbacRepo.roleByName(tx, name);
    if (!role) throw new AppError('ROLE_NOT_FOUND', `No such role: ${name}`, { issues: [{ field: 'body.role', message: 'unknown role' }] });
    return role;
  }

  async function assertAdminsRemain(tx: Db): Promise<void> {
    if ((await rbacRepo.activeAdminIds(tx)).length === 0) throw new AppError('LAST_ADMIN');
  }

  return {
    /** Any change to roles, grants, teams or users may change permissions: forget them all. */
    invalidate,

    /** Called whenever roles, grants or memberships change, for caches derived from them. */
    onInvalidate(fn: () => void): void {
      listeners.push(fn);
    },

    setNodeAncestry(fn: NodeAncestry): void {
      ancestry = fn;
    },

    globalPermissions,

    /** May `userId` do `permission`, globally or (with `nodeId`) on that node through a grant on it or above it? */
    async can(userId: string, permission: string, nodeId?: string): Promise<boolean> {
      if (permits(await globalPermissions(userId), permission)) return true;
      if (!nodeId) return false;
      const lists = await rbacRepo.permissionLists(db, userId, await ancestry(nodeId));
      return lists.some((l) => permits(l, permission));
    },

    /** May the user do `permission` globally, or on at least one of these nodes (through a grant on it or above it)? */
    async canOnAnyNode(userId: string, permission: string, nodeIds: string[]): Promise<boolean> {
      if (permits(await globalPermissions(userId), permission)) return true;
      for (const n of nodeIds) if ((await rbacRepo.permissionLists(db, userId, await ancestry(n))).some((l) => permits(l, permission))) return true;
      return false;
    },

    /** Does any grant of the user, global or on any node, carry `permission`? (A cheap first gate for node-scoped routes.) */
    async canSomewhere(userId: string, permission: string): Promise<boolean> {
      if (permits(await globalPermissions(userId), permission)) return true;
      return (await rbacRepo.permissionLists(db, userId, 'anywhere')).some((l) => permits(l, permission));
    },

    /** The union of the permissions the user holds through node grants (what the console may offer somewhere). */
    async nodePermissions(userId: string): Promise<string[]> {
      return [...new Set((await rbacRepo.nodeGrants(db, userId)).flatMap((r) => r.permissions))].sort();
    },

    /**
     * Where the user holds `permission`: `'all'` through a global grant, else the
     * nodes of grants carrying it (each covers its subtree).
     */
    async grantedNodes(userId: string, permission: string, tx: Db = db): Promise<'all' | string[]> {
      if (permits(await globalPermissions(userId, tx), permission)) return 'all';
      const rows = await rbacRepo.nodeGrants(tx, userId);
      return [...new Set(rows.filter((r) => permits(r.permissions, permission)).map((r) => r.nodeId as string))];
    },

    /** The user's grants that apply on a node whose ancestry (nearest first) is given: global ones and those on the path. */
    effectiveGrants: (userId: string, ancestry: string[]) => rbacRepo.effectiveGrants(db, userId, ancestry),

    /** Of these node ids, those that carry grants (a subtree can hold more ids than one statement takes). */
    async nodesWithGrants(tx: Db, among: Iterable<string>): Promise<string[]> {
      const wanted = new Set(among);
      return (await rbacRepo.nodesWithGrants(tx)).filter((id) => wanted.has(id));
    },

    /** Grants bound to these nodes (a node being deleted names them). */
    countGrantsOnNodes: (tx: Db, nodeIds: string[]) => rbacRepo.countGrantsOnNodes(tx, nodeIds),

    /** Revoke every grant bound to these nodes (a cascading delete). */
    async deleteGrantsOnNodes(ctx: MutationContext, nodeIds: string[]): Promise<number> {
      const n = await rbacRepo.deleteGrantsOnNodes(ctx.tx, nodeIds);
      if (n) ctx.onCommit(invalidate);
      return n;
    },

    /** Creates or refreshes the built-in roles, so permissions added in code reach existing installs. */
    async seedBuiltinRoles(tx: Db): Promise<void> {
      const now = clock.now();
      for (const [name, def] of Object.entries(BUILTIN_ROLES)) {
        await rbacRepo.upsertBuiltinRole(tx, {
          id: uuidv7(now.getTime()), name, description: def.description, permissions: [...def.permissions], builtin: true,
          createdAt: now, updatedAt: now,
        });
      }
    },

    assertAdminsRemain,

    permissionRegistry() {
      return Object.entries(PERMISSIONS).map(([name, description]) => ({ name, description }));
    },

    async listRoles(q: { limit: number; cursor?: string | undefined }): Promise<Page<RoleView>> {
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      return toPage(await rbacRepo.listRoles(db, after, q.limit + 1), q.limit, roleView, (r) => r.name);
    },

    async createRole(ctx: MutationContext, body: CreateRoleBody): Promise<RoleView> {
      if (await rbacRepo.roleByName(ctx.tx, body.name)) throw new AppError('ROLE_EXISTS');
      const now = clock.now();
      const row = await rbacRepo.insertRole(ctx.tx, {
        id: uuidv7(now.getTime()), name: body.name, description: body.description ?? '', permissions: [...new Set(body.permissions)],
        builtin: false, createdAt: now, updatedAt: now,
      });
      Object.assign(ctx.audit, { targetType: 'role', targetId: row.id, after: roleView(row) });
      await ctx.emit('role.created', { roleId: row.id, name: row.name }, { summary: `role ${row.name} created`, resourceType: 'role', resourceId: row.id });
      return roleView(row);
    },

    async updateRole(ctx: MutationContext, id: string, body: UpdateRoleBody): Promise<RoleView> {
      const role = await rbacRepo.roleById(ctx.tx, id);
      if (!role) throw new AppError('ROLE_NOT_FOUND');
      if (role.builtin) throw new AppError('ROLE_BUILTIN');
      const row = await rbacRepo.updateRole(ctx.tx, id, {
        ...(body.description !== undefined && { description: body.description }),
        ...(body.permissions && { permissions: [...new Set(body.permissions)] }),
        updatedAt: clock.now(),
      });
      if (!row) throw new AppError('ROLE_NOT_FOUND');
      Object.assign(ctx.audit, { targetType: 'role', targetId: id, before: roleView(role), after: roleView(row) });
      await ctx.emit('role.updated', { roleId: id, name: row.name }, { summary: `role ${row.name} changed`, resourceType: 'role', resourceId: id });
      ctx.onCommit(invalidate);
      return roleView(row);
    },

    async deleteRole(ctx: MutationContext, id: string): Promise<void> {
      const role = await rbacRepo.roleById(ctx.tx, id);
      if (!role) throw new AppError('ROLE_NOT_FOUND');
      if (role.builtin) throw new AppError('ROLE_BUILTIN');
      const n = await rbacRepo.countGrantsOfRole(ctx.tx, id);
      if (n > 0) throw new AppError('ROLE_IN_USE', `The role is still granted ${n} time(s); revoke those grants first`);
      await rbacRepo.deleteRole(ctx.tx, id);
      Object.assign(ctx.audit, { targetType: 'role', targetId: id, before: roleView(role) });
      await ctx.emit('role.deleted', { roleId: id, name: role.name }, { summary: `role ${role.name} deleted`, resourceType: 'role', resourceId: id });
    },

    async listGrants(q: GrantListQuery): Promise<Page<GrantView>> {
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      const role = q.role ? await rbacRepo.roleByName(db, q.role) : undefined;
      if (q.role && !role) return { items: [], nextCursor: null };
      const rows = await rbacRepo.listGrants(db, { userId: q.userId, teamId: q.teamId, roleId: role?.id, nodeId: q.nodeId }, after, q.limit + 1);
      return toPage(
        rows,
        q.limit,
        (r) => ({
          id: r.grant.id, userId: r.grant.userId, teamId: r.grant.teamId, subjectName: r.username ?? r.teamName ?? '',
          role: r.role, nodeId: r.grant.nodeId, createdAt: r.grant.createdAt.toISOString(), createdBy: r.grant.createdBy,
        }),
        (r) => r.grant.id,
      );
    },

    async createGrant(ctx: MutationContext, body: CreateGrantBody, subjectName: string): Promise<GrantView> {
      const role = await requireRole(ctx.tx, body.role);
      if (body.nodeId && (await ancestry(body.nodeId, ctx.tx)).length === 0) {
        throw new AppError('TREE_NODE_NOT_FOUND', undefined, { issues: [{ field: 'body.nodeId', message: 'no such tree node' }] });
      }
      const now = clock.now();
      const row = await rbacRepo.insertGrant(ctx.tx, {
        id: uuidv7(now.getTime()), userId: body.userId ?? null, teamId: body.teamId ?? null, roleId: role.id,
        nodeId: body.nodeId ?? null, createdAt: now, createdBy: ctx.actor.id,
      });
      if (!row) throw new AppError('GRANT_EXISTS');
      const view: GrantView = {
        id: row.id, userId: row.userId, teamId: row.teamId, subjectName, role: role.name, nodeId: row.nodeId,
        createdAt: row.createdAt.toISOString(), createdBy: row.createdBy,
      };
      Object.assign(ctx.audit, { targetType: 'grant', targetId: row.id, after: view });
      await ctx.emit(
        'grant.created',
        { grantId: row.id, role: role.name, userId: row.userId, teamId: row.teamId, nodeId: row.nodeId },
        { summary: `role ${role.name} granted to ${subjectName}${row.nodeId ? ' on a node' : ''}`, resourceType: 'grant', resourceId: row.id, nodeId: row.nodeId },
      );
      ctx.onCommit(invalidate);
      return view;
    },

    async deleteGrant(ctx: MutationContext, id: string): Promise<void> {
      const found = await rbacRepo.grantById(ctx.tx, id);
      if (!found) throw new AppError('GRANT_NOT_FOUND');
      await rbacRepo.deleteGrant(ctx.tx, id);
      await assertAdminsRemain(ctx.tx);
      Object.assign(ctx.audit, { targetType: 'grant', targetId: id, before: { ...found.grant, role: found.role } });
      await ctx.emit('grant.deleted', { grantId: id, role: found.role }, {
        summary: `grant of role ${found.role} revoked`, resourceType: 'grant', resourceId: id, nodeId: found.grant.nodeId,
      });
      ctx.onCommit(invalidate);
    },

    /** Replace the user's direct global roles (the `roles` of a user form). */
    async setUserGlobalRoles(ctx: MutationContext, userId: string, names: string[]): Promise<void> {
      const { tx } = ctx;
      const wanted = [...new Set(names)];
      const found = await rbacRepo.rolesByNames(tx, wanted);
      const missing = wanted.filter((n) => !found.some((r) => r.name === n));
      if (missing.length) {
        throw new AppError('ROLE_NOT_FOUND', `No such role: ${missing.join(', ')}`, {
          issues: [{ field: 'body.roles', message: `unknown role ${missing.join(', ')}` }],
        });
      }
      await rbacRepo.deleteDirectGlobalGrants(tx, userId);
      const now = clock.now();
      for (const role of found) {
        await rbacRepo.insertGrant(tx, { id: uuidv7(now.getTime()), userId, roleId: role.id, createdAt: now, createdBy: ctx.actor.id });
      }
      ctx.onCommit(invalidate);
    },

    directGlobalRoles: (userIds: string[], tx: Db = db) => rbacRepo.directGlobalRoles(tx, userIds),
  };
}

export type RbacService = ReturnType<typeof createRbacService>;
