import type { CreateTeamBody, Page, TeamListQuery, TeamView, UpdateTeamBody } from '@opsline/contracts';
import type { Clock } from '../clock.js';
import type { Db } from '../db/db.js';
import { AppError } from '../errors/app-error.js';
import { decodeCursor, toPageBatch } from '../http/cursor.js';
import { uuidv7 } from '../ids.js';
import type { MutationContext } from '../audit/mutation.js';
import type { RbacService } from '../rbac/rbac.service.js';
import { identityRepo, requireAllExist, type TeamRow } from './identity.repo.js';

export function createTeamService(deps: { db: Db; clock: Clock; rbac: RbacService }) {
  const { db, clock, rbac } = deps;

  async function views(rows: TeamRow[], tx: Db = db): Promise<TeamView[]> {
    const members = await identityRepo.memberIdsOf(tx, rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id, name: r.name, description: r.description, memberIds: members.get(r.id) ?? [], createdAt: r.createdAt.toISOString(),
    }));
  }
  async function view(row: TeamRow, tx: Db): Promise<TeamView> {
    const [v] = await views([row], tx);
    if (!v) throw new Error('unreachable: one row, one view');
    return v;
  }
  async function requireTeam(tx: Db, id: string): Promise<TeamRow> {
    const row = await identityRepo.teamById(tx, id);
    if (!row) throw new AppError('TEAM_NOT_FOUND');
    return row;
  }
  const checkMembers = (tx: Db, ids: string[]): Promise<string[]> =>
    requireAllExist(ids, (want) => identityRepo.existingUserIds(tx, want), { code: 'USER_NOT_FOUND', noun: 'user', field: 'body.memberIds' });
  async function assertNameFree(tx: Db, name: string, self?: string): Promise<void> {
    const other = await identityRepo.teamByName(tx, name);
    if (other && other.id !== self) {
      throw new AppError('TEAM_EXISTS', `A team named ${name} already exists`, { issues: [{ field: 'body.name', message: 'already taken' }] });
    }
  }

  return {
    async list(q: TeamListQuery): Promise<Page<TeamView>> {
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      const rows = await identityRepo.listTeams(db, q.q, after, q.limit + 1);
      return toPageBatch(rows, q.limit, (kept) => views(kept), (r) => r.name);
    },

    async get(id: string): Promise<TeamView> {
      return view(await requireTeam(db, id), db);
    },

    async create(ctx: MutationContext, body: CreateTeamBody): Promise<TeamView> {
      await assertNameFree(ctx.tx, body.name);
      const now = clock.now();
      const row = await identityRepo.insertTeam(ctx.tx, {
        id: uuidv7(now.getTime()), name: body.name, description: body.description ?? '', createdAt: now, updatedAt: now,
      });
      await identityRepo.setTeamMembers(ctx.tx, row.id, await checkMembers(ctx.tx, body.memberIds ?? []));
      const created = await view(row, ctx.tx);
      Object.assign(ctx.audit, { targetType: 'team', targetId: row.id, after: created });
      await ctx.emit('team.created', { teamId: row.id, name: row.name }, { summary: `team ${row.name} created`, resourceType: 'team', resourceId: row.id });
      return created;
    },

    async update(ctx: MutationContext, id: string, body: UpdateTeamBody): Promise<TeamView> {
      const current = await requireTeam(ctx.tx, id);
      const before = await view(current, ctx.tx);
      if (body.name !== undefined) await assertNameFree(ctx.tx, body.name, id);
      const row = await identityRepo.updateTeam(ctx.tx, id, {
        ...(body.name !== undefined && { name: body.name }),
        ...(body.description !== undefined && { description: body.description }),
        updatedAt: clock.now(),
      });
      if (!row) throw new AppError('TEAM_NOT_FOUND');
      if (body.memberIds) {
        await identityRepo.setTeamMembers(ctx.tx, id, await checkMembers(ctx.tx, body.memberIds));
        await rbac.assertAdminsRemain(ctx.tx);
        ctx.onCommit(rbac.invalidate);
      }
      const after = await view(row, ctx.tx);
      const changed = Object.keys(body);
      Object.assign(ctx.audit, { targetType: 'team', targetId: id, before, after });
      await ctx.emit('team.updated', { teamId: id, name: row.name, changed }, {
        summary: `team ${row.name} changed: ${changed.join(', ')}`, resourceType: 'team', resourceId: id,
      });
      return after;
    },

    async remove(ctx: MutationContext, id: string): Promise<void> {
      const row = await requireTeam(ctx.tx, id);
      const before = await view(row, ctx.tx);
      await identityRepo.deleteTeam(ctx.tx, id);
      await rbac.assertAdminsRemain(ctx.tx);
      ctx.onCommit(rbac.invalidate);
      Object.assign(ctx.audit, { targetType: 'team', targetId: id, before });
      await ctx.emit('team.deleted', { teamId: id, name: row.name }, { summary: `team ${row.name} deleted`, resourceType: 'team', resourceId: id });
    },

    requireTeam: (id: string) => requireTeam(db, id),
  };
}

export type TeamService = ReturnType<typeof createTeamService>;
