import { and, asc, eq, ilike, sql, type SQL } from 'drizzle-orm';
import type { AppRuntime } from '@opsline/contracts';
import type { Db } from '../../platform/db/db.js';
import { apps } from './app.tables.js';
import { treeNodes } from './tree.tables.js';
import { escapeLike, inSubtrees } from './visibility.js';

export type AppRow = typeof apps.$inferSelect;
export type AppWithNode = AppRow & { nodePath: string | null; nodeIdPath: string | null };

export interface AppFilter {
  nodeId?: string | undefined;
  /** On a node at or below one of these id paths. */
  underIdPaths?: string[];
  q?: string | undefined;
  runtime?: AppRuntime | undefined;
}

const cols = { app: apps, nodePath: treeNodes.path, nodeIdPath: treeNodes.idPath };
const flat = (r: { app: AppRow; nodePath: string | null; nodeIdPath: string | null }): AppWithNode => ({ ...r.app, nodePath: r.nodePath, nodeIdPath: r.nodeIdPath });

function where(f: AppFilter, after?: { name: string; id: string }): SQL | undefined {
  return and(
    f.nodeId ? eq(apps.nodeId, f.nodeId) : undefined,
    f.underIdPaths ? inSubtrees(treeNodes.idPath, f.underIdPaths) : undefined,
    f.q ? ilike(apps.name, `%${escapeLike(f.q.toLowerCase())}%`) : undefined,
    f.runtime ? eq(apps.runtime, f.runtime) : undefined,
    after ? sql`(${apps.name}, ${apps.id}) > (${after.name}, ${after.id})` : undefined,
  );
}

export const appRepo = {
  async byId(db: Db, id: string): Promise<AppWithNode | undefined> {
    const [row] = await db.select(cols).from(apps).leftJoin(treeNodes, eq(treeNodes.id, apps.nodeId)).where(eq(apps.id, id)).limit(1);
    return row && flat(row);
  },
  async named(db: Db, nodeId: string, name: string): Promise<AppRow | undefined> {
    const [row] = await db.select().from(apps).where(and(eq(apps.nodeId, nodeId), eq(apps.name, name))).limit(1);
    return row;
  },
  /** A page by name (names repeat across nodes, so the id breaks ties). */
  async list(db: Db, f: AppFilter, after: { name: string; id: string } | undefined, limit: number): Promise<AppWithNode[]> {
    const rows = await db
      .select(cols)
      .from(apps)
      .leftJoin(treeNodes, eq(treeNodes.id, apps.nodeId))
      .where(where(f, after))
      .orderBy(asc(apps.name), asc(apps.id))
      .limit(limit);
    return rows.map(flat);
  },
  async insert(db: Db, row: typeof apps.$inferInsert): Promise<void> {
    await db.insert(apps).values(row);
  },
  async update(db: Db, id: string, set: Partial<typeof apps.$inferInsert>): Promise<void> {
    await db.update(apps).set(set).where(eq(apps.id, id));
  },
  async delete(db: Db, id: string): Promise<void> {
    await db.delete(apps).where(eq(apps.id, id));
  },
  async countUnder(db: Db, idPath: string): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(apps)
      .innerJoin(treeNodes, eq(treeNodes.id, apps.nodeId))
      .where(inSubtrees(treeNodes.idPath, [idPath]));
    return row?.n ?? 0;
  },
  /** Detaches the apps of a subtree about to be deleted; they stay, without a node. */
  async detachUnder(db: Db, idPath: string): Promise<number> {
    const rows = await db
      .update(apps)
      .set({ nodeId: null })
      .where(sql`${apps.nodeId} in (select ${treeNodes.id} from ${treeNodes} where ${inSubtrees(treeNodes.idPath, [idPath])})`)
      .returning({ id: apps.id });
    return rows.length;
  },
};
