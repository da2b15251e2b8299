import type { CreateUserBody, Page, UpdateUserBody, UserListQuery, UserView } from '@opsline/contracts';
import type { Clock } from '../clock.js';
import type { Db } from '../db/db.js';
import { AppError } from '../errors/app-error.js';
import { decodeCursor, toPageBatch } from '../http/cursor.js';
import { uuidv7 } from '../ids.js';
import type { MutationContext } from '../audit/mutation.js';
import type { CredentialService } from '../auth/credentials.service.js';
import { hashPassword } from '../auth/password.js';
import type { RbacService } from '../rbac/rbac.service.js';
import { identityRepo, requireAllExist, type UserRow } from './identity.repo.js';
import { TtlCache } from '../auth/ttl-cache.js';

type UserDeps = { db: Db; clock: Clock; rbac: RbacService; credentials: CredentialService };

export function createUserService(deps: UserDeps) {
  const { db, clock, rbac, credentials } = deps;
  // `GET /auth/me` runs on every console page: its user view is cached like the credential, and dropped on any change.
  const viewCache = new TtlCache<UserView>(10_000);
  rbac.onInvalidate(() => viewCache.clear());
  const forget = (id: string): void => {
    viewCache.delete(id);
    credentials.forgetUser(id);
  };

  async function views(rows: UserRow[], tx: Db = db): Promise<UserView[]> {
    const ids = rows.map((r) => r.id);
    const [roles, teams] = await Promise.all([rbac.directGlobalRoles(ids, tx), identityRepo.teamIdsOf(tx, ids)]);
    return rows.map((r) => ({
      id: r.id, username: r.username, displayName: r.displayName, email: r.email, status: r.status,
      roles: roles.get(r.id) ?? [], teamIds: teams.get(r.id) ?? [], createdAt: r.createdAt.toISOString(),
      lastLoginAt: r.lastLoginAt?.toISOString() ?? null,
    }));
  }

  async function view(row: UserRow, tx: Db = db): Promise<UserView> {
    const [v] = await views([row], tx);
    if (!v) throw new Error('unreachable: one row, one view');
    return v;
  }

  const checkTeams = (tx: Db, teamIds: string[]): Promise<string[]> =>
    requireAllExist(teamIds, (ids) => identityRepo.existingTeamIds(tx, ids), { code: 'TEAM_NOT_FOUND', noun: 'team', field: 'body.teamIds' });

  async function requireUser(tx: Db, id: string): Promise<UserRow> {
    const row = await identityRepo.userById(tx, id);
    if (!row) throw new AppError('USER_NOT_FOUND');
    return row;
  }

  return {
    views,
    view,
    requireUser: (id: string) => requireUser(db, id),
    byName: (username: string) => identityRepo.userByName(db, username),
    count: () => identityRepo.countUsers(db),
    /** id → username of the existing ones (owners named by other modules). */
    usernamesOf: (ids: string[], tx: Db = db) => identityRepo.usernamesOf(tx, [...new Set(ids)]),
    /** username → id of the existing ones. */
    idsOfUsernames: (names: string[], tx: Db = db) => identityRepo.idsOfUsernames(tx, [...new Set(names.map((n) => n.toLowerCase()))]),
    /** Every id must name a user: else a 404 naming `field`. */
    requireUserIds: (ids: string[], field: string, tx: Db = db) =>
      requireAllExist(ids, (w) => identityRepo.existingUserIds(tx, w), { code: 'USER_NOT_FOUND', noun: 'user', field }),

    async list(q: UserListQuery): Promise<Page<UserView>> {
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      const rows = await identityRepo.listUsers(db, q, after, q.limit + 1);
      return toPageBatch(rows, q.limit, (kept) => views(kept), (r) => r.username);
    },

    async get(id: string): Promise<UserView> {
      return view(await requireUser(db, id));
    },

    /** The user's view, from cache when fresh (for the signed-in caller's own profile). */
    async cachedView(id: string): Promise<UserView> {
      const hit = viewCache.get(id);
      if (hit) return hit;
      const fresh = await view(await requireUser(db, id));
      viewCache.set(id, fresh);
      return fresh;
    },

    async create(ctx: MutationContext, body: CreateUserBody): Promise<UserView> {
      const { tx } = ctx;
      if (await identityRepo.userByName(tx, body.username)) {
        throw new AppError('USER_EXISTS', `A user named ${body.username} already exists`, {
          issues: [{ field: 'body.username', message: 'already taken' }],
        });
      }
      const now = clock.now();
      const row = await identityRepo.insertUser(tx, {
        id: uuidv7(now.getTime()), username: body.username, displayName: body.displayName ?? body.username,
        email: body.email ?? null, passwordHash: await hashPassword(body.password), status: 'active',
        createdAt: now, updatedAt: now, passwordChangedAt: now,
      });
      await rbac.setUserGlobalRoles(ctx, row.id, body.roles ?? ['viewer']);
      await identityRepo.setUserTeams(tx, row.id, await checkTeams(tx, body.teamIds ?? []));
      const created = await view(row, tx);
      Object.assign(ctx.audit, { targetType: 'user', targetId: row.id, after: created });
      await ctx.emit('user.created', { userId: row.id, username: row.username }, {
        summary: `user ${row.username} created`, resourceType: 'user', resourceId: row.id,
      });
      return created;
    },

    async update(ctx: MutationContext, id: string, body: UpdateUserBody): Promise<UserView> {
      const { tx } = ctx;
      const current = await requireUser(tx, id);
      const before = await view(current, tx);
      if (body.status === 'disabled' && id === ctx.actor.id) throw new AppError('USER_SELF_DELETE', 'You cannot disable your own account');
      const now = clock.now();
      const row = await identityRepo.updateUser(tx, id, {
        ...(body.displayName !== undefined && { displayName: body.displayName }),
        ...(body.email !== undefined && { email: body.email }),
        ...(body.status !== undefined && { status: body.status }),
        ...(body.password !== undefined && { passwordHash: await hashPassword(body.password), passwordChangedAt: now }),
        updatedAt: now,
      });
      if (!row) throw new AppError('USER_NOT_FOUND');
      if (body.roles) await rbac.setUserGlobalRoles(ctx, id, body.roles);
      if (body.teamIds) {
        await identityRepo.setUserTeams(tx, id, await checkTeams(tx, body.teamIds));
        ctx.onCommit(rbac.invalidate);
      }
      if (body.roles || body.teamIds || body.status === 'disabled') await rbac.assertAdminsRemain(tx);
      // A disabled account or a password set by an administrator ends the user's sessions.
      if (body.status === 'disabled' || body.password !== undefined) await credentials.endUserSessions(ctx, id);
      ctx.onCommit(() => forget(id));
      const after = await view(row, tx);
      const changed = Object.keys(body).filter((k) => k !== 'password').concat(body.password ? ['password'] : []);
      Object.assign(ctx.audit, { targetType: 'user', targetId: id, before, after });
      await ctx.emit('user.updated', { userId: id, username: row.username, changed }, {
        summary: `user ${row.username} changed: ${changed.join(', ')}`, resourceType: 'user', resourceId: id,
      });
      if (body.status === 'disabled' && current.status !== 'disabled') {
        await ctx.emit('user.disabled', { userId: id, username: row.username }, {
          summary: `user ${row.username} disabled`, severity: 'warning', resourceType: 'user', resourceId: id,
        });
      }
      return after;
    },

    async remove(ctx: MutationContext, id: string): Promise<void> {
      if (id === ctx.actor.id) throw new AppError('USER_SELF_DELETE');
      const row = await requireUser(ctx.tx, id);
      const before = await view(row, ctx.tx);
      await identityRepo.deleteUser(ctx.tx, id);
      await rbac.assertAdminsRemain(ctx.tx);
      ctx.onCommit(() => {
        forget(id);
        rbac.invalidate();
      });
      Object.assign(ctx.audit, { targetType: 'user', targetId: id, before });
      await ctx.emit('user.deleted', { userId: id, username: row.username }, {
        summary: `user ${row.username} deleted`, severity: 'warning', resourceType: 'user', resourceId: id,
      });
    },

    async setPassword(ctx: MutationContext, id: string, password: string, keepSessionId?: string): Promise<void> {
      const now = clock.now();
      await identityRepo.updateUser(ctx.tx, id, { passwordHash: await hashPassword(password), passwordChangedAt: now, updatedAt: now });
      await credentials.endUserSessions(ctx, id, keepSessionId);
    },

    async recordLogin(ctx: MutationContext, id: string): Promise<void> {
      await identityRepo.updateUser(ctx.tx, id, { lastLoginAt: clock.now() });
      ctx.onCommit(() => viewCache.delete(id));
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
