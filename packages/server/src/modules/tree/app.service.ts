import type { AppListQuery, AppPort, AppRuntime, AppView, CreateAppBody, Page, UpdateAppBody } from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/db.js';
import { AppError } from '../../platform/errors/app-error.js';
import { decodeCursor, toPageBatch } from '../../platform/http/cursor.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PlatformServices } from '../../platform/services.js';
import { appRepo, type AppWithNode } from './app.repo.js';
import type { TreeService } from './tree.service.js';
import { inScope, type TreeScope } from './visibility.js';

type Users = Pick<PlatformServices['users'], 'usernamesOf' | 'requireUserIds'>;

const forbidden = (permission: string, where: string): AppError =>
  new AppError('FORBIDDEN', `You lack the permission ${permission} on ${where}`, { permission });
const nameTaken = (name: string): AppError =>
  new AppError('APP_EXISTS', `An app named ${name} is already on that node`, { issues: [{ field: 'body.name', message: 'already taken on this node' }] });
/** Apps without a node are reached by global grants only. */
const reachable = (scope: TreeScope, app: AppWithNode): boolean => scope.all || (app.nodeIdPath !== null && inScope(scope, app.nodeIdPath));

/** `name/id`: names repeat across nodes, ids break ties; names hold no `/`. */
const appCursorKey = (a: AppWithNode): string => `${a.name}/${a.id}`;
function afterKey(cursor: string | undefined): { name: string; id: string } | undefined {
  if (!cursor) return undefined;
  const key = decodeCursor(cursor, 'string');
  const at = key.lastIndexOf('/');
  return { name: key.slice(0, at), id: key.slice(at + 1) };
}

export function createAppService(deps: { db: Db; clock: Clock; tree: TreeService; users: Users }) {
  const { db, clock, tree, users } = deps;

  async function views(rows: AppWithNode[], tx: Db = db): Promise<AppView[]> {
    const names = await users.usernamesOf(rows.flatMap((r) => r.ownerIds), tx);
    return rows.map((r) => ({
      id: r.id, name: r.name, node: r.nodeId && r.nodePath ? { id: r.nodeId, path: r.nodePath } : null, description: r.description,
      owners: r.ownerIds.flatMap((id) => {
        const username = names.get(id);
        return username ? [{ id, username }] : [];
      }),
      repoUrl: r.repoUrl, runtime: r.runtime as AppRuntime, ports: r.ports, labels: r.labels,
      createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
    }));
  }
  async function view(row: AppWithNode, tx: Db = db): Promise<AppView> {
    const [v] = await views([row], tx);
    if (!v) throw new Error('unreachable: one row, one view');
    return v;
  }

  async function requireApp(tx: Db, id: string): Promise<AppWithNode> {
    const row = await appRepo.byId(tx, id);
    if (!row) throw new AppError('APP_NOT_FOUND');
    return row;
  }

  /** The node an app goes on, which the user must hold app:write on. */
  async function writableNode(tx: Db, nodeId: string, scope: TreeScope): Promise<{ id: string; path: string }> {
    const node = await tree.requireNode(nodeId, tx).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'TREE_NODE_NOT_FOUND') {
        throw new AppError('TREE_NODE_NOT_FOUND', `No such tree node: ${nodeId}`, { issues: [{ field: 'body.nodeId', message: 'unknown node' }] });
      }
      throw err;
    });
    if (!inScope(scope, node.idPath)) throw forbidden('app:write', node.path);
    return node;
  }

  const ports = (p: AppPort[] | undefined): AppPort[] | undefined => p?.map((x) => ({ port: x.port, protocol: x.protocol, name: x.name }));

  return {
    async list(q: AppListQuery, userId: string): Promise<Page<AppView>> {
      const scope = await tree.scopeFor(userId, 'app:read');
      let underIdPaths = scope.all ? undefined : scope.roots;
      let nodeId: string | undefined;
      if (q.nodeId) {
        const node = await tree.requireNode(q.nodeId);
        if (!inScope(scope, node.idPath)) throw forbidden('app:read', node.path);
        if (q.descendants) underIdPaths = [node.idPath];
        else nodeId = node.id;
      }
      const rows = await appRepo.list(db, { nodeId, underIdPaths, q: q.q, runtime: q.runtime }, afterKey(q.cursor), q.limit + 1);
      return toPageBatch(rows, q.limit, (kept) => views(kept), appCursorKey);
    },

    async get(id: string, userId: string): Promise<AppView> {
      const row = await requireApp(db, id);
      if (!reachable(await tree.scopeFor(userId, 'app:read'), row)) throw forbidden('app:read', row.nodePath ?? 'apps without a node');
      return view(row);
    },

    async create(ctx: MutationContext, body: CreateAppBody, userId: string): Promise<AppView> {
      const node = await writableNode(ctx.tx, body.nodeId, await tree.scopeFor(userId, 'app:write', ctx.tx));
      if (body.ownerIds?.length) await users.requireUserIds(body.ownerIds, 'body.ownerIds', ctx.tx);
      if (await appRepo.named(ctx.tx, node.id, body.name)) throw nameTaken(body.name);
      const now = clock.now();
      const id = uuidv7(now.getTime());
      await appRepo.insert(ctx.tx, {
        id, name: body.name, nodeId: node.id, description: body.description ?? '', ownerIds: [...new Set(body.ownerIds ?? [])],
        repoUrl: body.repoUrl ?? '', runtime: body.runtime ?? 'host', ports: ports(body.ports) ?? [], labels: body.labels ?? {}, createdAt: now, updatedAt: now,
      });
      const created = await view(await requireApp(ctx.tx, id), ctx.tx);
      Object.assign(ctx.audit, { targetType: 'app', targetId: id, after: created });
      await ctx.emit('app.created', { appId: id, name: body.name }, { summary: `app ${body.name} added on ${node.path}`, resourceType: 'app', resourceId: id, nodeId: node.id });
      return created;
    },

    async update(ctx: MutationContext, id: string, body: UpdateAppBody, userId: string): Promise<AppView> {
      const row = await requireApp(ctx.tx, id);
      const scope = await tree.scopeFor(userId, 'app:write', ctx.tx);
      if (!reachable(scope, row)) throw forbidden('app:write', row.nodePath ?? 'apps without a node');
      const target = body.nodeId && body.nodeId !== row.nodeId ? await writableNode(ctx.tx, body.nodeId, scope) : null;
      const nodeId = target?.id ?? row.nodeId;
      const name = body.name ?? row.name;
      if ((target || name !== row.name) && nodeId) {
        const clash = await appRepo.named(ctx.tx, nodeId, name);
        if (clash && clash.id !== id) throw nameTaken(name);
      }
      if (body.ownerIds?.length) await users.requireUserIds(body.ownerIds, 'body.ownerIds', ctx.tx);
      const before = await view(row, ctx.tx);
      const set = { ...body, ...(body.ownerIds && { ownerIds: [...new Set(body.ownerIds)] }), ...(body.ports && { ports: ports(body.ports) }) };
      // The body's keys are the row's columns: compare like with like.
      const changed = (Object.keys(set) as (keyof typeof set)[]).filter((k) => JSON.stringify(set[k]) !== JSON.stringify(row[k]));
      if (changed.length) await appRepo.update(ctx.tx, id, { ...set, updatedAt: clock.now() });
      const after = await view(await requireApp(ctx.tx, id), ctx.tx);
      Object.assign(ctx.audit, { targetType: 'app', targetId: id, before, after });
      if (changed.length) {
        await ctx.emit('app.updated', { appId: id, name: after.name, changed }, {
          summary: `app ${after.name} changed: ${changed.join(', ')}`, resourceType: 'app', resourceId: id, nodeId,
        });
      }
      return after;
    },

    async remove(ctx: MutationContext, id: string, userId: string): Promise<void> {
      const row = await requireApp(ctx.tx, id);
      if (!reachable(await tree.scopeFor(userId, 'app:write', ctx.tx), row)) throw forbidden('app:write', row.nodePath ?? 'apps without a node');
      Object.assign(ctx.audit, { targetType: 'app', targetId: id, before: await view(row, ctx.tx) });
      await appRepo.delete(ctx.tx, id);
      await ctx.emit('app.deleted', { appId: id, name: row.name }, { summary: `app ${row.name} deleted`, resourceType: 'app', resourceId: id, nodeId: row.nodeId });
    },
  };
}

export type AppService = ReturnType<typeof createAppService>;
