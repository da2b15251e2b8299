import type {
  CreateHostBody, HostBindingBody, HostExportQuery, HostListQuery, HostSource, HostStatus, HostView, NodeRef, Page, UpdateHostBody,
} from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/db.js';
import { AppError } from '../../platform/errors/app-error.js';
import { decodeCursor, toPage } from '../../platform/http/cursor.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PlatformServices } from '../../platform/services.js';
import { hostRepo, searchTextOf, type HostFilter, type HostRow, type NewHostRow } from './host.repo.js';
import type { TreeService } from './tree.service.js';
import { treeRepo } from './tree.repo.js';
import { inScope, type TreeScope } from './visibility.js';

export type BoundNode = NodeRef & { idPath: string };
/** A host as other modules target it, with the nodes it is bound to. */
export interface HostWithNodes { id: string; hostname: string; ips: string[]; status: HostStatus; nodes: BoundNode[] }

/** What an agent reports that the CMDB keeps. */
export interface AgentHostFacts {
  hostname: string;
  ips: string[];
  os: string;
  cpuCores: number;
  memoryMb: number;
  disks: { mount: string; sizeGb: number }[];
}
type Users = Pick<PlatformServices['users'], 'usernamesOf' | 'idsOfUsernames' | 'requireUserIds'>;

/** The editable fields of a host, as create, update and import set them. */
export type HostFields = Omit<NewHostRow, 'id' | 'searchText' | 'source' | 'createdAt' | 'updatedAt'>;

const forbidden = (permission: string, message: string): AppError => new AppError('FORBIDDEN', message, { permission });

/** A scope reaches a host through its bindings: any of them to read, all of them to change. */
export function reaches(scope: TreeScope, nodes: BoundNode[], need: 'any' | 'every'): boolean {
  if (scope.all) return true;
  if (!nodes.length) return false;
  return need === 'any' ? nodes.some((n) => inScope(scope, n.idPath)) : nodes.every((n) => inScope(scope, n.idPath));
}

export function createHostService(deps: { db: Db; clock: Clock; tree: TreeService; users: Users }) {
  const { db, clock, tree, users } = deps;

  async function views(rows: HostRow[], tx: Db = db): Promise<HostView[]> {
    const bound = await hostRepo.bindingsOf(tx, rows.map((r) => r.id));
    const owners = await users.usernamesOf(rows.map((r) => r.ownerId).filter((id): id is string => id !== null), tx);
    return rows.map((r) => {
      const owner = r.ownerId && owners.get(r.ownerId);
      return {
        id: r.id, hostname: r.hostname, ips: r.ips, os: r.os, cpuCores: r.cpuCores, memoryMb: r.memoryMb, disks: r.disks, labels: r.labels,
        status: r.status as HostStatus, source: r.source as HostSource, owner: owner && r.ownerId ? { id: r.ownerId, username: owner } : null,
        nodes: (bound.get(r.id) ?? []).map(({ id, path }) => ({ id, path })), createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
      };
    });
  }
  async function withNodes(rows: HostRow[]): Promise<HostWithNodes[]> {
    const bound = await hostRepo.bindingsOf(db, rows.map((r) => r.id));
    return rows.map((r) => ({ id: r.id, hostname: r.hostname, ips: r.ips, status: r.status as HostStatus, nodes: bound.get(r.id) ?? [] }));
  }
  async function view(row: HostRow, tx: Db = db): Promise<HostView> {
    const [v] = await views([row], tx);
    if (!v) throw new Error('unreachable: one row, one view');
    return v;
  }

  async function requireHost(tx: Db, id: string): Promise<{ row: HostRow; nodes: BoundNode[] }> {
    const row = await hostRepo.byId(tx, id);
    if (!row) throw new AppError('HOST_NOT_FOUND');
    return { row, nodes: (await hostRepo.bindingsOf(tx, [id])).get(id) ?? [] };
  }

  /** The leaf nodes named by id, or a 404/409 naming `field`. */
  async function requireLeaves(tx: Db, ids: string[], field: string): Promise<BoundNode[]> {
    const out: BoundNode[] = [];
    for (const id of new Set(ids)) {
      const node = await treeRepo.byId(tx, id);
      if (!node) throw new AppError('TREE_NODE_NOT_FOUND', `No such tree node: ${id}`, { issues: [{ field, message: `unknown node ${id}` }] });
      if (!node.isLeaf) throw new AppError('HOST_BIND_NOT_LEAF', `${node.path} is not a leaf node; hosts bind to leaves`, { issues: [{ field, message: `${node.path} is not a leaf` }] });
      out.push({ id: node.id, path: node.path, idPath: node.idPath });
    }
    return out;
  }

  async function requireFreeHostname(tx: Db, hostname: string, self?: string): Promise<void> {
    const taken = await hostRepo.byHostname(tx, hostname);
    if (taken && taken.id !== self) {
      throw new AppError('HOST_EXISTS', `A host named ${hostname} already exists`, { issues: [{ field: 'body.hostname', message: 'already taken' }] });
    }
  }

  /** Binds and keeps the nodes' host counts. */
  async function bindTo(tx: Db, node: BoundNode, hostIds: string[]): Promise<string[]> {
    const added = await hostRepo.bind(tx, node.id, hostIds, clock.now());
    await treeRepo.adjustHostCount(tx, node.idPath, added.length);
    return added;
  }
  async function unbindFrom(tx: Db, node: BoundNode, hostIds: string[]): Promise<string[]> {
    const removed = await hostRepo.unbind(tx, node.id, hostIds);
    await treeRepo.adjustHostCount(tx, node.idPath, -removed.length);
    return removed;
  }

  /** Inserts a host and binds it; the caller has checked access and names. */
  async function insert(tx: Db, fields: HostFields & { hostname: string; ips: string[] }, source: HostSource, nodes: BoundNode[]): Promise<HostRow> {
    const now = clock.now();
    const row = await hostRepo.insert(tx, {
      ...fields, id: uuidv7(now.getTime()), searchText: searchTextOf(fields.hostname, fields.ips), source, createdAt: now, updatedAt: now,
    });
    for (const n of nodes) await bindTo(tx, n, [row.id]);
    return row;
  }

  /** Changes a host's fields; answers the names of the fields that changed. */
  async function change(tx: Db, row: HostRow, fields: Partial<HostFields>): Promise<{ row: HostRow; changed: string[] }> {
    const changed = (Object.keys(fields) as (keyof HostFields)[]).filter(
      (k) => fields[k] !== undefined && JSON.stringify(fields[k]) !== JSON.stringify(row[k]),
    );
    if (!changed.length) return { row, changed };
    const hostname = fields.hostname ?? row.hostname;
    const ips = fields.ips ?? row.ips;
    const updated = await hostRepo.update(tx, row.id, { ...fields, searchText: searchTextOf(hostname, ips), updatedAt: clock.now() });
    return { row: updated, changed };
  }

  /** Replaces a host's bindings with `nodes`. */
  async function rebind(tx: Db, hostId: string, from: BoundNode[], to: BoundNode[]): Promise<boolean> {
    const keep = new Set(to.map((n) => n.id));
    const had = new Set(from.map((n) => n.id));
    for (const n of from) if (!keep.has(n.id)) await unbindFrom(tx, n, [hostId]);
    for (const n of to) if (!had.has(n.id)) await bindTo(tx, n, [hostId]);
    return from.length !== to.length || to.some((n) => !had.has(n.id));
  }

  const hostEventMeta = (row: HostRow, nodes: BoundNode[], summary: string) => ({
    summary, resourceType: 'host', resourceId: row.id, nodeId: nodes[0]?.id ?? null,
  });

  async function listFilter(q: HostExportQuery, userId: string): Promise<HostFilter> {
    const scope = await tree.scopeFor(userId, 'host:read');
    const base: HostFilter = { q: q.q, status: q.status };
    if (q.nodeId) {
      const node = await tree.requireNode(q.nodeId);
      if (!inScope(scope, node.idPath)) throw forbidden('host:read', `You lack the permission host:read on ${node.path}`);
      return q.descendants ? { ...base, underIdPaths: [[node.idPath]] } : { ...base, nodeId: node.id };
    }
    return scope.all ? base : { ...base, underIdPaths: [scope.roots] };
  }

  return {
    views,
    requireHost,
    requireLeaves,
    insert,
    change,
    rebind,

    async list(q: HostListQuery, userId: string): Promise<Page<HostView>> {
      const filter = await listFilter(q, userId);
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      const rows = await hostRepo.list(db, filter, after, q.limit + 1);
      const page = toPage(rows, q.limit, (r) => r, (r) => r.hostname);
      return { items: await views(page.items), nextCursor: page.nextCursor };
    },

    /** Every host matching the filters, a batch at a time, for the CSV export. */
    async *exportBatches(q: HostExportQuery, userId: string, batch = 1000): AsyncGenerator<HostView[]> {
      const filter = await listFilter(q, userId);
      let after: string | undefined;
      for (;;) {
        const rows = await hostRepo.list(db, filter, after, batch);
        if (rows.length) yield await views(rows);
        if (rows.length < batch) return;
        after = rows.at(-1)?.hostname;
      }
    },

    async get(id: string, userId: string): Promise<HostView> {
      const { row, nodes } = await requireHost(db, id);
      if (!reaches(await tree.scopeFor(userId, 'host:read'), nodes, 'any')) {
        throw forbidden('host:read', `You lack the permission host:read on the nodes ${row.hostname} is bound to`);
      }
      return view(row);
    },

    async create(ctx: MutationContext, body: CreateHostBody, userId: string): Promise<HostView> {
      const nodes = await requireLeaves(ctx.tx, body.nodeIds ?? [], 'body.nodeIds');
      const scope = await tree.scopeFor(userId, 'host:write', ctx.tx);
      if (!reaches(scope, nodes, 'every')) {
        throw forbidden('host:write', nodes.length ? 'You lack the permission host:write on every node named' : 'Bind the host to a leaf node you hold host:write on');
      }
      if (body.ownerId) await users.requireUserIds([body.ownerId], 'body.ownerId', ctx.tx);
      await requireFreeHostname(ctx.tx, body.hostname);
      const { nodeIds: _nodes, ...fields } = body;
      const row = await insert(ctx.tx, fields, 'manual', nodes);
      const created = await view(row, ctx.tx);
      Object.assign(ctx.audit, { targetType: 'host', targetId: row.id, after: created });
      await ctx.emit('host.created', { hostId: row.id, hostname: row.hostname }, hostEventMeta(row, nodes, `host ${row.hostname} added`));
      return created;
    },

    async update(ctx: MutationContext, id: string, body: UpdateHostBody, userId: string): Promise<HostView> {
      const { row, nodes } = await requireHost(ctx.tx, id);
      if (!reaches(await tree.scopeFor(userId, 'host:write', ctx.tx), nodes, 'every')) {
        throw forbidden('host:write', `You lack the permission host:write on every node ${row.hostname} is bound to`);
      }
      if (body.ownerId) await users.requireUserIds([body.ownerId], 'body.ownerId', ctx.tx);
      if (body.hostname) await requireFreeHostname(ctx.tx, body.hostname, id);
      const before = await view(row, ctx.tx);
      const { row: updated, changed } = await change(ctx.tx, row, body);
      const after = await view(updated, ctx.tx);
      Object.assign(ctx.audit, { targetType: 'host', targetId: id, before, after });
      if (changed.length) {
        await ctx.emit('host.updated', { hostId: id, hostname: updated.hostname, changed }, hostEventMeta(updated, nodes, `host ${updated.hostname} changed: ${changed.join(', ')}`));
      }
      return after;
    },

    async remove(ctx: MutationContext, id: string, userId: string): Promise<void> {
      const { row, nodes } = await requireHost(ctx.tx, id);
      if (!reaches(await tree.scopeFor(userId, 'host:write', ctx.tx), nodes, 'every')) {
        throw forbidden('host:write', `You lack the permission host:write on every node ${row.hostname} is bound to`);
      }
      Object.assign(ctx.audit, { targetType: 'host', targetId: id, before: await view(row, ctx.tx) });
      for (const n of nodes) await unbindFrom(ctx.tx, n, [id]);
      await hostRepo.delete(ctx.tx, id);
      await ctx.emit('host.deleted', { hostId: id, hostname: row.hostname }, hostEventMeta(row, nodes, `host ${row.hostname} deleted`));
    },

    /** Binds hosts to a leaf node (the route checked host:write on it); each host must be yours to change. */
    async bind(ctx: MutationContext, nodeId: string, body: HostBindingBody, userId: string, unbind = false): Promise<{ changed: number }> {
      const [node] = await requireLeaves(ctx.tx, [nodeId], 'params.id');
      if (!node) throw new Error('unreachable: one id, one node');
      const ids = [...new Set(body.hostIds)];
      const rows = await hostRepo.byIds(ctx.tx, ids);
      const missing = ids.filter((id) => !rows.some((r) => r.id === id));
      if (missing.length) throw new AppError('HOST_NOT_FOUND', `No such host: ${missing.join(', ')}`, { issues: [{ field: 'body.hostIds', message: `unknown host ${missing.join(', ')}` }] });
      const scope = await tree.scopeFor(userId, 'host:write', ctx.tx);
      if (!scope.all) {
        const bound = await hostRepo.bindingsOf(ctx.tx, ids);
        const denied = rows.filter((r) => !reaches(scope, bound.get(r.id) ?? [], 'every')).map((r) => r.hostname);
        if (denied.length) throw forbidden('host:write', `You lack the permission host:write on where ${denied.join(', ')} are bound`);
      }
      const done = unbind ? await unbindFrom(ctx.tx, node, ids) : await bindTo(ctx.tx, node, ids);
      Object.assign(ctx.audit, { targetType: 'tree_node', targetId: node.id, after: { hostIds: done } });
      if (done.length) {
        await ctx.emit(unbind ? 'host.unbound' : 'host.bound', { nodeId: node.id, path: node.path, hostIds: done }, {
          summary: `${done.length} host(s) ${unbind ? 'unbound from' : 'bound to'} ${node.path}`, resourceType: 'tree_node', resourceId: node.id, nodeId: node.id,
        });
      }
      return { changed: done.length };
    },

    /**
     * An agent's facts reach the CMDB: the host with that hostname is updated
     * (or created with source `agent` and bound to `nodeId` when it is a leaf).
     */
    async recordFromAgent(ctx: MutationContext, facts: AgentHostFacts, nodeId: string | null): Promise<string> {
      const fields = {
        ips: facts.ips, os: facts.os, cpuCores: facts.cpuCores || null, memoryMb: facts.memoryMb || null, disks: facts.disks, status: 'online' as const,
      };
      const existing = await hostRepo.byHostname(ctx.tx, facts.hostname);
      if (existing) {
        const { changed } = await change(ctx.tx, existing, fields);
        if (changed.length) {
          await ctx.emit('host.updated', { hostId: existing.id, hostname: existing.hostname, changed }, hostEventMeta(existing, [], `host ${existing.hostname} facts changed: ${changed.join(', ')}`));
        }
        return existing.id;
      }
      const node = nodeId ? await treeRepo.byId(ctx.tx, nodeId) : undefined;
      const nodes = node?.isLeaf ? [{ id: node.id, path: node.path, idPath: node.idPath }] : [];
      const row = await insert(ctx.tx, { hostname: facts.hostname, ...fields }, 'agent', nodes);
      await ctx.emit('host.created', { hostId: row.id, hostname: row.hostname }, hostEventMeta(row, nodes, `host ${row.hostname} added by its agent`));
      return row.id;
    },

    /** Marks hosts online or offline as their agents come and go (no audit: nobody changed anything). */
    async setStatus(hostIds: string[], status: HostStatus): Promise<void> {
      await hostRepo.setStatus(db, hostIds, status);
    },

    /** Hosts by id with where they are bound, for running things on them; unknown ids are left out. */
    async targets(hostIds: string[]): Promise<HostWithNodes[]> {
      return withNodes(await hostRepo.byIds(db, [...new Set(hostIds)]));
    },

    /** Hosts whose hostname or one of whose IPs is among `names` (hostnames lower-case), with their nodes: how alerts name hosts. */
    async byAddress(names: string[]): Promise<HostWithNodes[]> {
      return withNodes(await hostRepo.byHostnameOrIp(db, [...new Set(names)]));
    },

    /** Hosts bound anywhere under the nodes (each node and its subtree), by hostname. */
    async under(nodeIds: string[]): Promise<{ id: string; hostname: string; ips: string[]; status: HostStatus }[]> {
      const idPaths = await treeRepo.idPathsOf(db, nodeIds);
      if (!idPaths.length) return [];
      return (await hostRepo.under(db, idPaths)).map((h) => ({ ...h, status: h.status as HostStatus }));
    },
  };
}

export type HostService = ReturnType<typeof createHostService>;
