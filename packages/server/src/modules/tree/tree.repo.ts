import { and, asc, eq, gt, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/db.js';
import { treeNodes } from './tree.tables.js';
import { escapeLike, inSubtrees, pathAbove, type TreeScope } from './visibility.js';

export type TreeNodeRow = typeof treeNodes.$inferSelect;

/** The node itself and everything below it, by its id path. */
const inSubtree = (idPath: string) => inSubtrees(treeNodes.idPath, [idPath]);
/** Nodes the scope shows: its subtrees and the path above them. */
function visible(scope: TreeScope): SQL | undefined {
  if (scope.all) return undefined;
  const above = [...pathAbove(scope.roots)];
  return or(inSubtrees(treeNodes.idPath, scope.roots), above.length ? inArray(treeNodes.id, above) : undefined);
}
// Qualified by hand: an unqualified column here would resolve to the inner alias.
const childCount = sql<number>`(select count(*)::int from ${treeNodes} c where c.parent_id = "tree_nodes"."id")`;

export const treeRepo = {
  async byId(db: Db, id: string): Promise<(TreeNodeRow & { childCount: number }) | undefined> {
    const [row] = await db.select({ ...treeCols(), childCount }).from(treeNodes).where(eq(treeNodes.id, id)).limit(1);
    return row;
  },
  children(db: Db, parentId: string | null, after: string | undefined, limit: number, scope: TreeScope) {
    return db
      .select({ ...treeCols(), childCount })
      .from(treeNodes)
      .where(
        and(parentId ? eq(treeNodes.parentId, parentId) : isNull(treeNodes.parentId), after ? gt(treeNodes.name, after) : undefined, visible(scope)),
      )
      .orderBy(asc(treeNodes.name))
      .limit(limit);
  },
  async siblingNamed(db: Db, parentId: string | null, name: string): Promise<TreeNodeRow | undefined> {
    const [row] = await db
      .select()
      .from(treeNodes)
      .where(and(parentId ? eq(treeNodes.parentId, parentId) : isNull(treeNodes.parentId), eq(treeNodes.name, name)))
      .limit(1);
    return row;
  },
  /** Nodes whose path (so also name) contains `q`; the trigram index answers it. */
  search(db: Db, q: string, limit: number, scope: TreeScope) {
    const like = `%${escapeLike(q.toLowerCase())}%`;
    return db
      .select({ ...treeCols(), childCount })
      .from(treeNodes)
      .where(and(ilike(treeNodes.path, like), visible(scope)))
      .orderBy(asc(treeNodes.depth), asc(treeNodes.path))
      .limit(limit);
  },
  /** Just the id path: what a permission check needs, without the child count. */
  async idPathOf(db: Db, id: string): Promise<string | undefined> {
    const [row] = await db.select({ idPath: treeNodes.idPath }).from(treeNodes).where(eq(treeNodes.id, id)).limit(1);
    return row?.idPath;
  },
  async idPathsOf(db: Db, ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    return (await db.select({ idPath: treeNodes.idPath }).from(treeNodes).where(inArray(treeNodes.id, ids))).map((r) => r.idPath);
  },
  /** Ids of every node at or below these id paths. */
  async idsUnder(db: Db, idPaths: string[]): Promise<string[]> {
    if (!idPaths.length) return [];
    return (await db.select({ id: treeNodes.id }).from(treeNodes).where(inSubtrees(treeNodes.idPath, idPaths))).map((r) => r.id);
  },
  /** Adds `delta` to the host count of the node with this id path and of every node above it. */
  async adjustHostCount(db: Db, idPath: string, delta: number): Promise<void> {
    if (!delta) return;
    await db
      .update(treeNodes)
      .set({ hostCount: sql`${treeNodes.hostCount} + ${delta}` })
      .where(inArray(treeNodes.id, idPath.split('.')));
  },
  /** Nodes by their dotted paths (what an import names). */
  byPaths(db: Db, paths: string[]): Promise<Pick<TreeNodeRow, 'id' | 'path' | 'idPath' | 'isLeaf'>[]> {
    if (!paths.length) return Promise.resolve([]);
    return db
      .select({ id: treeNodes.id, path: treeNodes.path, idPath: treeNodes.idPath, isLeaf: treeNodes.isLeaf })
      .from(treeNodes)
      .where(inArray(treeNodes.path, paths));
  },
  async pathsOf(db: Db, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await db.select({ id: treeNodes.id, path: treeNodes.path }).from(treeNodes).where(inArray(treeNodes.id, ids));
    return new Map(rows.map((r) => [r.id, r.path]));
  },
  async insert(db: Db, row: typeof treeNodes.$inferInsert): Promise<TreeNodeRow> {
    const [created] = await db.insert(treeNodes).values(row).returning();
    if (!created) throw new Error('insert tree_nodes returned nothing');
    return created;
  },
  async update(db: Db, id: string, set: Partial<typeof treeNodes.$inferInsert>): Promise<void> {
    await db.update(treeNodes).set(set).where(eq(treeNodes.id, id));
  },
  /** Ids of the node and its descendants. */
  async subtreeIds(db: Db, idPath: string): Promise<string[]> {
    return (await db.select({ id: treeNodes.id }).from(treeNodes).where(inSubtree(idPath))).map((r) => r.id);
  },
  /** Rewrites the path prefix (and optionally the id-path prefix and depth) of a whole subtree in one statement. */
  async rewriteSubtree(
    db: Db,
    idPath: string,
    change: { fromPath: string; toPath: string; fromIdPath?: string; toIdPath?: string; depthDelta?: number; at: Date },
  ): Promise<number> {
    const rows = await db
      .update(treeNodes)
      .set({
        path: sql`${change.toPath} || substr(${treeNodes.path}, ${change.fromPath.length + 1})`,
        ...(change.fromIdPath !== undefined &&
          change.toIdPath !== undefined && { idPath: sql`${change.toIdPath} || substr(${treeNodes.idPath}, ${change.fromIdPath.length + 1})` }),
        ...(change.depthDelta && { depth: sql`${treeNodes.depth} + ${change.depthDelta}` }),
        updatedAt: change.at,
      })
      .where(inSubtree(idPath))
      .returning({ id: treeNodes.id });
    return rows.length;
  },
  /** Deletes a subtree, deepest first within the statement's FK check. */
  async deleteSubtree(db: Db, idPath: string): Promise<number> {
    return (await db.delete(treeNodes).where(inSubtree(idPath)).returning({ id: treeNodes.id })).length;
  },
};

function treeCols() {
  return {
    id: treeNodes.id, parentId: treeNodes.parentId, name: treeNodes.name, path: treeNodes.path, idPath: treeNodes.idPath,
    depth: treeNodes.depth, isLeaf: treeNodes.isLeaf, icon: treeNodes.icon, description: treeNodes.description, hostCount: treeNodes.hostCount,
    createdAt: treeNodes.createdAt, updatedAt: treeNodes.updatedAt,
  };
}
