import { and, asc, desc, eq, getTableColumns, gte, ilike, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/db.js';
import { escapeLike } from '../../platform/db/like.js';
import { alertPayloads, alerts } from './alerts.tables.js';

export type AlertRow = typeof alerts.$inferSelect;
export type NewAlertRow = typeof alerts.$inferInsert;

export interface AlertFilter {
  status?: string | undefined;
  severity?: string | undefined;
  integrationId?: string | undefined;
  hostId?: string | undefined;
  /** Alerts on any of these nodes (a subtree). */
  nodeIds?: string[] | undefined;
  q?: string | undefined;
}

/** Where a scan by first-seen time goes on from: a time, or a row's first-seen time and id. */
export interface SeenCursor {
  at: Date;
  id?: string | undefined;
}

/** Newest last-seen first; the cursor is the last row's (lastSeenAt, id). */
export interface AlertCursor {
  lastSeenAt: Date;
  id: string;
}

const COLUMNS = Object.entries(getTableColumns(alerts));
const RECORD = sql.raw(COLUMNS.map(([, c]) => `"${c.name}" ${c.getSQLType()}`).join(', '));
const FIELDS = sql.raw(COLUMNS.map(([, c]) => `r."${c.name}"`).join(', '));

/**
 * Rows as one JSON parameter read back by jsonb_to_recordset, in fingerprint
 * order (so concurrent batches lock rows in the same order): a batch of a
 * hundred alerts is one parameter to bind, not two thousand.
 */
function fromJson(rows: NewAlertRow[]): SQL {
  const json = JSON.stringify(rows.map((row) => Object.fromEntries(COLUMNS.map(([key, c]) => [c.name, row[key as keyof NewAlertRow] ?? null]))));
  return sql`select ${FIELDS} from jsonb_to_recordset(${json}::jsonb) as r(${RECORD}) order by r.fingerprint`;
}

export const alertRepo = {
  /**
   * Opens each fingerprint's alert, or counts a repeat on its firing row
   * (`count + excluded.count`). A returned row whose id is the one offered is new.
   */
  upsertFiring(db: Db, rows: NewAlertRow[]): Promise<AlertRow[]> {
    if (!rows.length) return Promise.resolve([]);
    return db
      .insert(alerts)
      .select(fromJson(rows))
      .onConflictDoUpdate({
        target: alerts.fingerprint,
        targetWhere: sql`status = 'firing'`,
        set: {
          count: sql`${alerts.count} + excluded.count`,
          lastSeenAt: sql`excluded.last_seen_at`,
          severity: sql`excluded.severity`,
          title: sql`excluded.title`,
          description: sql`excluded.description`,
          labels: sql`excluded.labels`,
          annotations: sql`excluded.annotations`,
          hostId: sql`excluded.host_id`,
          nodeId: sql`excluded.node_id`,
          silencedBy: sql`excluded.silenced_by`,
          inhibitedBy: sql`excluded.inhibited_by`,
          payloadId: sql`excluded.payload_id`,
        },
      })
      .returning();
  },

  /**
   * Closes the firing alert of each fingerprint. `startsAt` (fingerprint →
   * ISO time) guards against a late resolve of an earlier occurrence closing
   * a newer one; `endsAt` is when the sender says it ended (else now).
   */
  resolve(db: Db, fingerprints: string[], times: { startsAt: Record<string, string>; endsAt: Record<string, string> }, now: Date, payloadId: string): Promise<AlertRow[]> {
    if (!fingerprints.length) return Promise.resolve([]);
    return db
      .update(alerts)
      .set({
        status: 'resolved', resolvedAt: now, lastSeenAt: now, payloadId,
        endsAt: sql`coalesce((${JSON.stringify(times.endsAt)}::jsonb ->> ${alerts.fingerprint})::timestamptz, ${now.toISOString()}::timestamptz)`,
      })
      .where(and(
        eq(alerts.status, 'firing'),
        inArray(alerts.fingerprint, [...fingerprints].sort()),
        sql`(${alerts.startsAt} is null or ${alerts.startsAt} <= coalesce((${JSON.stringify(times.startsAt)}::jsonb ->> ${alerts.fingerprint})::timestamptz, 'infinity'))`,
      ))
      .returning();
  },

  async insertPayload(db: Db, row: typeof alertPayloads.$inferInsert): Promise<void> {
    await db.insert(alertPayloads).values(row);
  },
  async payloadOf(db: Db, payloadId: string): Promise<string | undefined> {
    const [row] = await db.select({ body: alertPayloads.body }).from(alertPayloads).where(eq(alertPayloads.id, payloadId)).limit(1);
    return row?.body;
  },
  /** Bodies no alert points at any more (each alert keeps only its last), received before `before`. */
  async prunePayloads(db: Db, before: Date): Promise<void> {
    await db.delete(alertPayloads).where(and(
      lt(alertPayloads.receivedAt, before),
      sql`not exists (select 1 from ${alerts} a where a.payload_id = ${alertPayloads.id})`,
    ));
  },

  async byId(db: Db, id: string): Promise<AlertRow | undefined> {
    const [row] = await db.select().from(alerts).where(eq(alerts.id, id)).limit(1);
    return row;
  },

  list(db: Db, f: AlertFilter, after: AlertCursor | undefined, limit: number): Promise<AlertRow[]> {
    const conditions: (SQL | undefined)[] = [
      f.status ? eq(alerts.status, f.status) : undefined,
      f.severity ? eq(alerts.severity, f.severity) : undefined,
      f.integrationId ? eq(alerts.integrationId, f.integrationId) : undefined,
      f.hostId ? eq(alerts.hostId, f.hostId) : undefined,
      f.nodeIds ? (f.nodeIds.length ? inArray(alerts.nodeId, f.nodeIds) : sql`false`) : undefined,
      f.q ? or(ilike(alerts.title, `%${escapeLike(f.q)}%`), sql`${alerts.labels}::text ilike ${`%${escapeLike(f.q)}%`}`) : undefined,
      after ? sql`(${alerts.lastSeenAt}, ${alerts.id}) < (${after.lastSeenAt.toISOString()}::timestamptz, ${after.id}::uuid)` : undefined,
    ];
    return db.select().from(alerts).where(and(...conditions)).orderBy(desc(alerts.lastSeenAt), desc(alerts.id)).limit(limit);
  },

  /** Firing, unsilenced alerts first seen after `after` (a time, or a row's time and id) and before `to`, oldest first. */
  firingSeenBetween(db: Db, after: SeenCursor, to: Date, limit: number): Promise<AlertRow[]> {
    const from = after.id
      ? sql`(${alerts.firstSeenAt}, ${alerts.id}) > (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)`
      : gte(alerts.firstSeenAt, after.at);
    return db.select().from(alerts)
      .where(and(eq(alerts.status, 'firing'), isNull(alerts.silencedBy), isNull(alerts.inhibitedBy), from, lt(alerts.firstSeenAt, to)))
      .orderBy(asc(alerts.firstSeenAt), asc(alerts.id)).limit(limit);
  },

  /** Which of these alerts have resolved. */
  async resolvedAmong(db: Db, ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await db.select({ id: alerts.id }).from(alerts).where(and(inArray(alerts.id, ids), eq(alerts.status, 'resolved')));
    return rows.map((r) => r.id);
  },

  async setInhibitedBy(db: Db, id: string, by: string): Promise<void> {
    await db.update(alerts).set({ inhibitedBy: by }).where(eq(alerts.id, id));
  },

  /** Acknowledges the ones not acknowledged yet; answers their ids. */
  async ack(db: Db, ids: string[], by: string, at: Date): Promise<string[]> {
    const rows = await db
      .update(alerts)
      .set({ ackedBy: by, ackedAt: at })
      .where(and(inArray(alerts.id, ids), isNull(alerts.ackedAt)))
      .returning({ id: alerts.id });
    return rows.map((r) => r.id);
  },
};
