import { and, asc, eq, gt, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/db.js';
import { treeNodes } from './tree.tables.js';

export type TreeNodeRow = typeof treeNodes.$inferSelect;

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);
/** The node itself and everything below it, by its id path. */
const inSubtree = (idPath: string) => or(eq(treeNodes.idPath, idPath), sql`${treeNodes.idPath} like ${`${escapeLike(idPath)}.%`}`);
// Qualified by hand: an unqualified column here would resolve to the inner alias.
const childCount = sql<number>`(select count(*)::int from ${treeNodes} c where c.parent_id = "tree_nodes"."id")`;

export const treeRepo = {
  async byId(db: Db, id: string): Promise<(TreeNodeRow & { childCount: number }) | undefined> {
    const [row] = await db.select({ ...treeCols(), childCount }).from(treeNodes).where(eq(treeNodes.id, id)).limit(1);
    return row;
  },
  children(db: Db, parentId: string | null, after: string | undefined, limit: number) {
    return db
      .select({ ...treeCols(), childCount })
      .from(treeNodes)
      .where(and(parentId ? eq(treeNodes.parentId, parentId) : isNull(treeNodes.parentId), after ? gt(treeNodes.name, after) : undefined))
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
  search(db: Db, q: string, limit: number) {
    const like = `%${escapeLike(q.toLowerCase())}%`;
    return db
      .select({ ...treeCols(), childCount })
      .from(treeNodes)
      .where(or(ilike(treeNodes.name, like), ilike(treeNodes.path, like)))
      .orderBy(asc(treeNodes.depth), asc(treeNodes.path))
      .limit(limit);
  },
  /** Just the id path: what a permission check needs, without the child count. */
  async idPathOf(db: Db, id: string): Promise<string | undefined> {
    const [row] = await db.select({ idPath: treeNodes.idPath }).from(treeNodes).where(eq(treeNodes.id, id)).limit(1);
    return row?.idPath;
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
    depth: treeNodes.depth, isLeaf: treeNodes.isLeaf, icon: treeNodes.icon, description: treeNodes.description,
    createdAt: treeNodes.createdAt, updatedAt: treeNodes.updatedAt,
  };
}
