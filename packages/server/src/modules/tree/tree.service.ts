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

type Row = TreeNodeRow & { childCount: number };

function view(r: Row): TreeNodeView {
  return {
    id: r.id, parentId: r.parentId, name: r.name, path: r.path, depth: r.depth, isLeaf: r.isLeaf, icon: r.icon as TreeIcon,
    description: r.description, childCount: r.childCount, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
  };
}

const nameTaken = (name: string): AppError =>
  new AppError('TREE_NODE_EXISTS', `A sibling is already named ${name}`, { issues: [{ field: 'body.name', message: 'already taken here' }] });

/** The service tree: nodes with materialized paths; other modules bind their resources to node ids. */
export function createTreeService(deps: { db: Db; clock: Clock; rbac: RbacService }) {
  const { db, clock, rbac } = deps;

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

    async list(q: TreeNodeListQuery): Promise<Page<TreeNodeView>> {
      if (q.parentId) await requireNode(db, q.parentId);
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      return toPage(await treeRepo.children(db, q.parentId ?? null, after, q.limit + 1), q.limit, view, (r) => r.name);
    },

    async get(id: string): Promise<TreeNodeView> {
      return view(await requireNode(db, id));
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

    async search(q: TreeSearchQuery): Promise<{ items: TreeNodeView[] }> {
      return { items: (await treeRepo.search(db, q.q, q.limit)).map(view) };
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

    /** Deletes a node; with `cascade` its whole subtree, unbinding the grants on it, in this transaction. */
    async remove(ctx: MutationContext, id: string, cascade: boolean): Promise<number> {
      const node = await requireNode(ctx.tx, id);
      const ids = await treeRepo.subtreeIds(ctx.tx, node.idPath);
      const grants = await rbac.countGrantsOnNodes(ctx.tx, ids);
      Object.assign(ctx.audit, { targetType: 'tree_node', targetId: id, before: view(node) });
      if (!cascade && (node.childCount > 0 || grants > 0)) {
        const bound = [node.childCount && `${node.childCount} child node(s)`, grants && `${grants} grant(s)`].filter(Boolean).join(' and ');
        throw new AppError('TREE_NODE_NOT_EMPTY', `${node.path} still has ${bound}; remove them first, or delete with cascade`, {
          children: node.childCount, descendants: ids.length - 1, grants,
        });
      }
      await rbac.deleteGrantsOnNodes(ctx, ids);
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
