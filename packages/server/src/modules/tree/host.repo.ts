import { and, asc, eq, gt, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { HostStatus, NodeRef } from '@opsline/contracts';
import type { Db } from '../../platform/db/db.js';
import { hostBindings, hosts } from './host.tables.js';
import { treeNodes } from './tree.tables.js';
import { escapeLike, inSubtrees } from './visibility.js';

export type HostRow = typeof hosts.$inferSelect;
export type NewHostRow = typeof hosts.$inferInsert;

/** What the fuzzy search matches: the hostname and every IP. */
export const searchTextOf = (hostname: string, ips: string[]): string => [hostname, ...ips].join(' ').toLowerCase();

export interface HostFilter {
  /** Bound to this exact node. */
  nodeId?: string | undefined;
  /** Bound anywhere at or below these id paths (a subtree, or a user's visible subtrees). */
  underIdPaths?: string[][];
  q?: string | undefined;
  status?: HostStatus | undefined;
}

/** EXISTS a binding of the host to a node in the subtrees; with a LIMIT the planner walks hostnames and probes. */
const boundUnder = (idPaths: string[]): SQL => sql`exists (
  select 1 from ${hostBindings} b join ${treeNodes} n on n.id = b.node_id
  where b.host_id = "hosts"."id" and ${inSubtrees(sql`n.id_path`, idPaths)})`;

function where(f: HostFilter, after?: string): SQL | undefined {
  return and(
    f.nodeId ? sql`exists (select 1 from ${hostBindings} b where b.host_id = "hosts"."id" and b.node_id = ${f.nodeId})` : undefined,
    ...(f.underIdPaths ?? []).map(boundUnder),
    f.q ? ilike(hosts.searchText, `%${escapeLike(f.q.toLowerCase())}%`) : undefined,
    f.status ? eq(hosts.status, f.status) : undefined,
    after !== undefined ? gt(hosts.hostname, after) : undefined,
  );
}

export const hostRepo = {
  async byId(db: Db, id: string): Promise<HostRow | undefined> {
    const [row] = await db.select().from(hosts).where(eq(hosts.id, id)).limit(1);
    return row;
  },
  byIds(db: Db, ids: string[]): Promise<HostRow[]> {
    return ids.length ? db.select().from(hosts).where(inArray(hosts.id, ids)) : Promise.resolve([]);
  },
  async byHostname(db: Db, hostname: string): Promise<HostRow | undefined> {
    const [row] = await db.select().from(hosts).where(eq(hosts.hostname, hostname)).limit(1);
    return row;
  },
  byHostnames(db: Db, names: string[]): Promise<HostRow[]> {
    return names.length ? db.select().from(hosts).where(inArray(hosts.hostname, names)) : Promise.resolve([]);
  },
  /** Hosts whose hostname, or one of whose IPs, is among the names. */
  byHostnameOrIp(db: Db, names: string[]): Promise<HostRow[]> {
    if (!names.length) return Promise.resolve([]);
    const list = sql.join(names.map((n) => sql`${n}`), sql`, `);
    return db.select().from(hosts).where(or(inArray(hosts.hostname, names), sql`${hosts.ips} && array[${list}]::text[]`));
  },
  /** One page by hostname, after `after`. */
  list(db: Db, f: HostFilter, after: string | undefined, limit: number): Promise<HostRow[]> {
    return db.select().from(hosts).where(where(f, after)).orderBy(asc(hosts.hostname)).limit(limit);
  },
  /** The nodes each host is bound to, by path. */
  async bindingsOf(db: Db, hostIds: string[]): Promise<Map<string, (NodeRef & { idPath: string })[]>> {
    const out = new Map<string, (NodeRef & { idPath: string })[]>();
    if (!hostIds.length) return out;
    const rows = await db
      .select({ hostId: hostBindings.hostId, id: treeNodes.id, path: treeNodes.path, idPath: treeNodes.idPath })
      .from(hostBindings)
      .innerJoin(treeNodes, eq(treeNodes.id, hostBindings.nodeId))
      .where(inArray(hostBindings.hostId, hostIds))
      .orderBy(asc(treeNodes.path));
    for (const r of rows) out.set(r.hostId, [...(out.get(r.hostId) ?? []), { id: r.id, path: r.path, idPath: r.idPath }]);
    return out;
  },
  async insert(db: Db, row: NewHostRow): Promise<HostRow> {
    const [created] = await db.insert(hosts).values(row).returning();
    if (!created) throw new Error('insert hosts returned nothing');
    return created;
  },
  async update(db: Db, id: string, set: Partial<NewHostRow>): Promise<HostRow> {
    const [row] = await db.update(hosts).set(set).where(eq(hosts.id, id)).returning();
    if (!row) throw new Error('update hosts matched nothing');
    return row;
  },
  async setStatus(db: Db, ids: string[], status: HostStatus): Promise<void> {
    if (ids.length) await db.update(hosts).set({ status }).where(inArray(hosts.id, ids));
  },
  async delete(db: Db, id: string): Promise<void> {
    await db.delete(hosts).where(eq(hosts.id, id));
  },
  /** Binds; answers the host ids that were not bound there yet. */
  async bind(db: Db, nodeId: string, hostIds: string[], at: Date): Promise<string[]> {
    if (!hostIds.length) return [];
    const rows = await db
      .insert(hostBindings)
      .values(hostIds.map((hostId) => ({ hostId, nodeId, createdAt: at })))
      .onConflictDoNothing()
      .returning({ hostId: hostBindings.hostId });
    return rows.map((r) => r.hostId);
  },
  /** Unbinds; answers the host ids that were bound there. */
  async unbind(db: Db, nodeId: string, hostIds: string[]): Promise<string[]> {
    if (!hostIds.length) return [];
    const rows = await db
      .delete(hostBindings)
      .where(and(eq(hostBindings.nodeId, nodeId), inArray(hostBindings.hostId, hostIds)))
      .returning({ hostId: hostBindings.hostId });
    return rows.map((r) => r.hostId);
  },
  /** Distinct hosts bound anywhere in the subtree. */
  async countUnder(db: Db, idPath: string): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(distinct ${hostBindings.hostId})::int` })
      .from(hostBindings)
      .innerJoin(treeNodes, eq(treeNodes.id, hostBindings.nodeId))
      .where(inSubtrees(treeNodes.idPath, [idPath]));
    return row?.n ?? 0;
  },
  /** Removes every binding in the subtree (its nodes are about to go). */
  async unbindUnder(db: Db, idPath: string): Promise<number> {
    const result = await db
      .delete(hostBindings)
      .where(sql`${hostBindings.nodeId} in (select ${treeNodes.id} from ${treeNodes} where ${inSubtrees(treeNodes.idPath, [idPath])})`)
      .returning({ hostId: hostBindings.hostId });
    return result.length;
  },
  /** Every host bound in the subtrees, by hostname. */
  under(db: Db, idPaths: string[]): Promise<Pick<HostRow, 'id' | 'hostname' | 'ips' | 'status'>[]> {
    return db
      .select({ id: hosts.id, hostname: hosts.hostname, ips: hosts.ips, status: hosts.status })
      .from(hosts)
      .where(boundUnder(idPaths))
      .orderBy(asc(hosts.hostname));
  },
};
