import type {
  CreateTreeNodeBody, EffectivePermissions, MoveTreeNodeBody, Page, TreeIcon, TreeNodeListQuery, TreeNodeView, TreeSearchQuery, UpdateTreeNodeBody,
} from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/db.js';
import { AppError } from '../../platform/errors/app-error.js';
import { decodeCursor, toPage } from '../../platform/http/cursor.js';
import { uuidv7 } from '../../platform/ids.js';
import type { RbacService } from '../../platform/rbac/rbac.service.js';
import { treeRepo, type TreeNodeRow } from './tree.repo.js';
import { inScope, outermost, pathAbove, type TreeScope } from './visibility.js';

type Row = TreeNodeRow & { childCount: number };

const ALL: TreeScope = { all: true };

/**
 * A node as `scope` shows it. On a node seen only as the path above a granted
 * one, the children counted are the visible ones and the host count is hidden.
 */
function view(r: Row, scope: TreeScope = ALL): TreeNodeView {
  const pathOnly = !inScope(scope, r.idPath);
  let childCount = r.childCount;
  if (pathOnly && !scope.all) {
    const below = new Set<string>();
    for (const root of scope.roots) {
      const ids = root.split('.');
      if (ids[r.depth] === r.id && ids.length > r.depth + 1) below.add(ids[r.depth + 1] as string);
    }
    childCount = below.size;
  }
  return {
    id: r.id, parentId: r.parentId, name: r.name, path: r.path, depth: r.depth, isLeaf: r.isLeaf, icon: r.icon as TreeIcon,
    description: r.description, childCount, hostCount: pathOnly ? null : r.hostCount, pathOnly,
    createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
  };
}

/**
 * Something other parts of the module (or later modules) bind to nodes: a
 * delete names how many are bound in the subtree, a cascade unbinds them.
 */
export interface NodeBinding {
  /** `hosts`, `apps`: the key in the 409's details and the word in its message. */
  what: string;
  count(tx: Db, subtree: { idPath: string; ids: string[] }): Promise<number>;
  unbind(ctx: MutationContext, subtree: { idPath: string; ids: string[] }): Promise<void>;
}

const nameTaken = (name: string): AppError =>
  new AppError('TREE_NODE_EXISTS', `A sibling is already named ${name}`, { issues: [{ field: 'body.name', message: 'already taken here' }] });

/** The service tree: nodes with materialized paths; other modules bind their resources to node ids. */
export function createTreeService(deps: { db: Db; clock: Clock; rbac: RbacService }) {
  const { db, clock, rbac } = deps;
  const bindings: NodeBinding[] = [];

  /** Where the user holds `permission`: all of the tree, or the subtrees of their grants. */
  async function scopeFor(userId: string, permission: string, tx: Db = db): Promise<TreeScope> {
    const granted = await rbac.grantedNodes(userId, permission, tx);
    if (granted === 'all') return ALL;
    return { all: false, roots: outermost(await treeRepo.idPathsOf(tx, granted)) };
  }

  /** The node, if the scope shows it (in a granted subtree or on the path above one); else 404 or 403. */
  async function requireVisible(id: string, scope: TreeScope): Promise<Row> {
    const node = await requireNode(db, id);
    if (!inScope(scope, node.idPath) && !(scope.all || pathAbove(scope.roots).has(node.id))) {
      throw new AppError('FORBIDDEN', 'You hold no grant on this node or below it', { permission: 'tree:read' });
    }
    return node;
  }

  async function requireNode(tx: Db, id: string): Promise<Row> {
    const row = await treeRepo.byId(tx, id);
    if (!row) throw new AppError('TREE_NODE_NOT_FOUND');
    return row;
  }

  /** The node and its ancestors, nearest first: where a grant may come from. */
  async function ancestry(nodeId: string, tx: Db = db): Promise<string[]> {
    const idPath = await treeRepo.idPathOf(tx, nodeId);
    return idPath ? idPath.split('.').reverse() : [];
  }
  rbac.setNodeAncestry(ancestry);

  return {
    ancestry,
    scopeFor,
    requireNode: (id: string, tx: Db = db) => requireNode(tx, id),

    /** Registers what binds to nodes, for delete protection and cascades. */
    addBinding(b: NodeBinding): void {
      bindings.push(b);
    },

    async list(q: TreeNodeListQuery, scope: TreeScope = ALL): Promise<Page<TreeNodeView>> {
      if (q.parentId) await requireVisible(q.parentId, scope);
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      const rows = await treeRepo.children(db, q.parentId ?? null, after, q.limit + 1, scope);
      return toPage(rows, q.limit, (r) => view(r, scope), (r) => r.name);
    },

    async get(id: string, scope: TreeScope = ALL): Promise<TreeNodeView> {
      return view(await requireVisible(id, scope), scope);
    },

    /** Which grants give the user what on the node, and from where (global, this node, or an ancestor). */
    async effectivePermissions(nodeId: string, userId: string): Promise<EffectivePermissions> {
      const node = await requireNode(db, nodeId);
      const chain = node.idPath.split('.').reverse();
      const rows = await rbac.effectiveGrants(userId, chain);
      const paths = await treeRepo.pathsOf(db, [...new Set(rows.map((r) => r.grant.nodeId).filter((id): id is string => id !== null))]);
      const grants = rows.map((r) => ({
        grantId: r.grant.id, role: r.role, permissions: r.permissions, via: r.grant.teamId ? ('team' as const) : ('user' as const),
        teamId: r.grant.teamId, teamName: r.teamName, nodeId: r.grant.nodeId,
        nodePath: r.grant.nodeId ? (paths.get(r.grant.nodeId) ?? null) : null, inherited: r.grant.nodeId !== nodeId,
      }));
      const permissions = [...new Set(grants.flatMap((g) => g.permissions))].sort();
      return { nodeId, path: node.path, userId, permissions, grants };
    },

    async search(q: TreeSearchQuery, scope: TreeScope = ALL): Promise<{ items: TreeNodeView[] }> {
      return { items: (await treeRepo.search(db, q.q, q.limit, scope)).map((r) => view(r, scope)) };
    },

    async create(ctx: MutationContext, body: CreateTreeNodeBody): Promise<TreeNodeView> {
      const parent = body.parentId ? await requireNode(ctx.tx, body.parentId) : null;
      if (parent?.isLeaf) throw new AppError('TREE_NODE_IS_LEAF', `${parent.path} is a leaf; it cannot have children`);
      if (await treeRepo.siblingNamed(ctx.tx, parent?.id ?? null, body.name)) throw nameTaken(body.name);
      const now = clock.now();
      const id = uuidv7(now.getTime());
      await treeRepo.insert(ctx.tx, {
        id, parentId: parent?.id ?? null, name: body.name, path: parent ? `${parent.path}.${body.name}` : body.name,
        idPath: parent ? `${parent.idPath}.${id}` : id, depth: parent ? parent.depth + 1 : 0, isLeaf: body.isLeaf ?? false,
        icon: body.icon ?? 'folder', description: body.description ?? '', createdAt: now, updatedAt: now,
      });
      const created = view(await requireNode(ctx.tx, id));
      Object.assign(ctx.audit, { targetType: 'tree_node', targetId: id, after: created });
      await ctx.emit('tree.node.created', { nodeId: id, path: created.path }, {
        summary: `node ${created.path} created`, resourceType: 'tree_node', resourceId: id, nodeId: id,
      });
      return created;
    },

    async update(ctx: MutationContext, id: string, body: UpdateTreeNodeBody): Promise<TreeNodeView> {
      const node = await requireNode(ctx.tx, id);
      const before = view(node);
      const now = clock.now();
      if (body.isLeaf === true && node.childCount > 0) {
        throw new AppError('TREE_NODE_IS_LEAF', `${node.path} has ${node.childCount} children; it cannot become a leaf`);
      }
      const renaming = body.name !== undefined && body.name !== node.name;
      if (renaming && (await treeRepo.siblingNamed(ctx.tx, node.parentId, body.name ?? ''))) throw nameTaken(body.name ?? '');
      await treeRepo.update(ctx.tx, id, {
        ...(renaming && { name: body.name }),
        ...(body.isLeaf !== undefined && { isLeaf: body.isLeaf }),
        ...(body.icon !== undefined && { icon: body.icon }),
        ...(body.description !== undefined && { description: body.description }),
        updatedAt: now,
      });
      if (renaming && body.name !== undefined) {
        const toPath = node.parentId ? `${node.path.slice(0, node.path.length - node.name.length)}${body.name}` : body.name;
        const n = await treeRepo.rewriteSubtree(ctx.tx, node.idPath, { fromPath: node.path, toPath, at: now });
        await ctx.emit('tree.node.renamed', { nodeId: id, from: node.path, to: toPath, descendants: n - 1 }, {
          summary: `node ${node.path} renamed to ${toPath}`, resourceType: 'tree_node', resourceId: id, nodeId: id,
        });
      }
      const after = view(await requireNode(ctx.tx, id));
      const changed = Object.keys(body).filter((k) => k !== 'name' || body.name !== node.name);
      Object.assign(ctx.audit, { targetType: 'tree_node', targetId: id, before, after });
      if (changed.some((k) => k !== 'name')) {
        await ctx.emit('tree.node.updated', { nodeId: id, path: after.path, changed }, {
          summary: `node ${after.path} changed: ${changed.join(', ')}`, resourceType: 'tree_node', resourceId: id, nodeId: id,
        });
      }
      return after;
    },

    async move(ctx: MutationContext, id: string, body: MoveTreeNodeBody): Promise<TreeNodeView> {
      const node = await requireNode(ctx.tx, id);
      const parent = body.parentId ? await requireNode(ctx.tx, body.parentId) : null;
      if (parent && (parent.id === id || parent.idPath.startsWith(`${node.idPath}.`))) {
        throw new AppError('TREE_MOVE_CYCLE', `${node.path} cannot move under ${parent.path}, which is inside it`);
      }
      if (parent?.isLeaf) throw new AppError('TREE_NODE_IS_LEAF', `${parent.path} is a leaf; it cannot have children`);
      if ((parent?.id ?? null) === node.parentId) return view(node);
      if (await treeRepo.siblingNamed(ctx.tx, parent?.id ?? null, node.name)) throw nameTaken(node.name);
      const toPath = parent ? `${parent.path}.${node.name}` : node.name;
      const toIdPath = parent ? `${parent.idPath}.${id}` : id;
      const now = clock.now();
      await treeRepo.update(ctx.tx, id, { parentId: parent?.id ?? null });
      // The hosts below leave the old ancestors' counts and join the new ones'.
      if (node.parentId) await treeRepo.adjustHostCount(ctx.tx, node.idPath.slice(0, -id.length - 1), -node.hostCount);
      if (parent) await treeRepo.adjustHostCount(ctx.tx, parent.idPath, node.hostCount);
      const n = await treeRepo.rewriteSubtree(ctx.tx, node.idPath, {
        fromPath: node.path, toPath, fromIdPath: node.idPath, toIdPath, depthDelta: (parent ? parent.depth + 1 : 0) - node.depth, at: now,
      });
      const after = view(await requireNode(ctx.tx, id));
      Object.assign(ctx.audit, { targetType: 'tree_node', targetId: id, before: view(node), after });
      await ctx.emit('tree.node.moved', { nodeId: id, from: node.path, to: toPath, descendants: n - 1 }, {
        summary: `node ${node.path} moved to ${toPath}`, resourceType: 'tree_node', resourceId: id, nodeId: id,
      });
      // Grants below keep their node ids; permission caches must see the new ancestry.
      ctx.onCommit(rbac.invalidate);
      return after;
    },

    /** Deletes a node; with `cascade` its whole subtree, unbinding grants, hosts and apps on it, in this transaction. */
    async remove(ctx: MutationContext, id: string, cascade: boolean): Promise<number> {
      const node = await requireNode(ctx.tx, id);
      const subtree = { idPath: node.idPath, ids: await treeRepo.subtreeIds(ctx.tx, node.idPath) };
      const granted = await rbac.nodesWithGrants(ctx.tx, subtree.ids);
      const bound: Record<string, number> = { grants: await rbac.countGrantsOnNodes(ctx.tx, granted) };
      for (const b of bindings) bound[b.what] = await b.count(ctx.tx, subtree);
      Object.assign(ctx.audit, { targetType: 'tree_node', targetId: id, before: view(node) });
      const counts: [string, number][] = [['child node', node.childCount], ...Object.entries(bound).map(([k, n]): [string, number] => [k.replace(/s$/, ''), n])];
      const nonEmpty = counts.filter(([, n]) => n > 0);
      if (!cascade && nonEmpty.length) {
        const parts = nonEmpty.map(([what, n]) => `${n} ${what}${n === 1 ? '' : 's'}`);
        const named = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts.join('');
        throw new AppError('TREE_NODE_NOT_EMPTY', `${node.path} still has ${named}; remove them first, or delete with cascade`, {
          children: node.childCount, descendants: subtree.ids.length - 1, ...bound,
        });
      }
      await rbac.deleteGrantsOnNodes(ctx, granted);
      for (const b of bindings) await b.unbind(ctx, subtree);
      if (node.parentId) await treeRepo.adjustHostCount(ctx.tx, node.idPath.slice(0, -id.length - 1), -node.hostCount);
      const n = await treeRepo.deleteSubtree(ctx.tx, node.idPath);
      await ctx.emit('tree.node.deleted', { nodeId: id, path: node.path, descendants: n - 1 }, {
        summary: `node ${node.path} deleted${n > 1 ? ` with ${n - 1} below it` : ''}`, severity: n > 1 ? 'warning' : 'info',
        resourceType: 'tree_node', resourceId: id, nodeId: id,
      });
      return n;
    },
  };
}

export type TreeService = ReturnType<typeof createTreeService>;
