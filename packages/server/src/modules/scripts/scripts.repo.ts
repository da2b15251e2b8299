import { and, asc, desc, eq, gt, ilike, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { ScriptLanguage } from '@opsline/contracts';
import type { Db } from '../../platform/db/db.js';
import { escapeLike } from '../../platform/db/like.js';
import { scriptVersions, scripts } from './scripts.tables.js';

export type ScriptRow = typeof scripts.$inferSelect;
export type ScriptVersionRow = typeof scriptVersions.$inferSelect;
/** A script with its latest version's content and parameters. */
export type ScriptWithLatest = ScriptRow & Pick<ScriptVersionRow, 'content' | 'params'>;

export interface ScriptFilter {
  /** On exactly this node. */
  nodeId?: string | undefined;
  /** On one of these nodes; `undefined`: anywhere, global ones included. */
  visibleNodeIds?: string[];
  q?: string | undefined;
  language?: ScriptLanguage | undefined;
}

/** Scripts joined to their latest version. */
const withLatest = (db: Db) =>
  db
    .select({ script: scripts, content: scriptVersions.content, params: scriptVersions.params })
    .from(scripts)
    .innerJoin(scriptVersions, and(eq(scriptVersions.scriptId, scripts.id), eq(scriptVersions.version, scripts.version)));
const flat = (r: { script: ScriptRow; content: string; params: ScriptVersionRow['params'] }): ScriptWithLatest => ({ ...r.script, content: r.content, params: r.params });

function where(f: ScriptFilter, after?: string): SQL | undefined {
  const like = f.q ? `%${escapeLike(f.q)}%` : undefined;
  return and(
    f.nodeId ? eq(scripts.nodeId, f.nodeId) : undefined,
    f.visibleNodeIds ? (f.visibleNodeIds.length ? inArray(scripts.nodeId, f.visibleNodeIds) : sql`false`) : undefined,
    like ? or(ilike(scripts.name, like), ilike(scripts.description, like)) : undefined,
    f.language ? eq(scripts.language, f.language) : undefined,
    after !== undefined ? gt(scripts.name, after) : undefined,
  );
}

export const scriptRepo = {
  /** The script with its latest version; `lock` holds the row until the transaction ends (versions are numbered from it). */
  async byId(db: Db, id: string, lock = false): Promise<ScriptWithLatest | undefined> {
    const q = withLatest(db).where(eq(scripts.id, id)).limit(1);
    const [row] = lock ? await q.for('update', { of: scripts }) : await q;
    return row && flat(row);
  },
  async byName(db: Db, name: string): Promise<ScriptRow | undefined> {
    const [row] = await db.select().from(scripts).where(eq(scripts.name, name)).limit(1);
    return row;
  },
  /** One page by name, after `after`. */
  async list(db: Db, f: ScriptFilter, after: string | undefined, limit: number): Promise<ScriptWithLatest[]> {
    return (await withLatest(db).where(where(f, after)).orderBy(asc(scripts.name)).limit(limit)).map(flat);
  },
  async insert(db: Db, row: typeof scripts.$inferInsert): Promise<void> {
    await db.insert(scripts).values(row);
  },
  async update(db: Db, id: string, set: Partial<typeof scripts.$inferInsert>): Promise<void> {
    await db.update(scripts).set(set).where(eq(scripts.id, id));
  },
  /** Deletes the script and all its versions. */
  async delete(db: Db, id: string): Promise<void> {
    await db.delete(scriptVersions).where(eq(scriptVersions.scriptId, id));
    await db.delete(scripts).where(eq(scripts.id, id));
  },

  async insertVersion(db: Db, row: typeof scriptVersions.$inferInsert): Promise<void> {
    await db.insert(scriptVersions).values(row);
  },
  async version(db: Db, scriptId: string, version: number): Promise<ScriptVersionRow | undefined> {
    const [row] = await db
      .select()
      .from(scriptVersions)
      .where(and(eq(scriptVersions.scriptId, scriptId), eq(scriptVersions.version, version)))
      .limit(1);
    return row;
  },
  /** Versions newest first, below `before`. */
  versions(db: Db, scriptId: string, before: number | undefined, limit: number): Promise<ScriptVersionRow[]> {
    return db
      .select()
      .from(scriptVersions)
      .where(and(eq(scriptVersions.scriptId, scriptId), before !== undefined ? lt(scriptVersions.version, before) : undefined))
      .orderBy(desc(scriptVersions.version))
      .limit(limit);
  },

  /** Scripts bound to any of these nodes (delete protection of the tree). */
  async countOnNodes(db: Db, nodeIds: string[]): Promise<number> {
    if (!nodeIds.length) return 0;
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(scripts).where(inArray(scripts.nodeId, nodeIds));
    return row?.n ?? 0;
  },
  /** Makes the scripts on these nodes global (their nodes are about to go). */
  async detachFromNodes(db: Db, nodeIds: string[], at: Date): Promise<void> {
    if (nodeIds.length) await db.update(scripts).set({ nodeId: null, updatedAt: at }).where(inArray(scripts.nodeId, nodeIds));
  },
};
