import { and, desc, eq, gte, inArray, like, lte, notLike, type SQL } from 'drizzle-orm';
import { EVENT_PAYLOADS, type EventListQuery, type EventName, type EventPayload, type EventSeverity, type EventView, type Page } from '@opsline/contracts';
import type { Clock } from '../clock.js';
import type { Db } from '../db/db.js';
import { logWindow, toPage } from '../http/cursor.js';
import { events } from './events.tables.js';

export interface EventMeta {
  summary: string;
  severity?: EventSeverity;
  resourceType?: string | null;
  resourceId?: string | null;
  nodeId?: string | null;
  actor?: { id: string | null; name: string } | null;
}

type EventRow = typeof events.$inferSelect;

/** One event to append, typed by its name. */
export type PendingEvent = { [N in EventName]: { type: N; payload: EventPayload<N>; meta: EventMeta } }[EventName];

export function eventView(row: EventRow): EventView {
  return {
    id: String(row.id), type: row.type, at: row.at.toISOString(), severity: row.severity, actorId: row.actorId,
    actorName: row.actorName, resourceType: row.resourceType, resourceId: row.resourceId, nodeId: row.nodeId,
    summary: row.summary, payload: row.payload,
  };
}

function typeFilter(type: string): SQL {
  // A trailing dot asks for the whole family: `user.` matches `user.created`, `user.deleted` …
  if (type.endsWith('.')) return like(events.type, `${type.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return eq(events.type, type);
}

/** The event log: typed append (payload checked against its contract schema) and filtered reads. */
export function createEventService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const rowOf = ({ type, payload, meta }: PendingEvent, at: Date) => ({
    type, at, severity: meta.severity ?? 'info', actorId: meta.actor?.id ?? null,
    actorName: meta.actor?.name ?? null, resourceType: meta.resourceType ?? null, resourceId: meta.resourceId ?? null,
    nodeId: meta.nodeId ?? null, summary: meta.summary, payload: EVENT_PAYLOADS[type].parse(payload) as unknown,
  });
  return {
    async append<N extends EventName>(tx: Db, type: N, payload: EventPayload<N>, meta: EventMeta): Promise<EventView> {
      const [row] = await tx.insert(events).values(rowOf({ type, payload, meta } as PendingEvent, clock.now())).returning();
      if (!row) throw new Error('insert events returned nothing');
      return eventView(row);
    },

    /** Several events in one INSERT (a batch of alerts), in order. */
    async appendMany(tx: Db, items: PendingEvent[]): Promise<EventView[]> {
      if (!items.length) return [];
      const at = clock.now();
      const rows = await tx.insert(events).values(items.map((e) => rowOf(e, at))).returning();
      return rows.sort((a, b) => a.id - b.id).map(eventView);
    },

    async list(q: EventListQuery): Promise<Page<EventView>> {
      const rows = await db
        .select()
        .from(events)
        .where(
          and(
            q.type ? typeFilter(q.type) : undefined,
            q.resourceType ? eq(events.resourceType, q.resourceType) : undefined,
            q.resourceId ? eq(events.resourceId, q.resourceId) : undefined,
            q.nodeId ? eq(events.nodeId, q.nodeId) : undefined,
            q.severity ? eq(events.severity, q.severity) : undefined,
            ...logWindow(events.at, events.id, q),
          ),
        )
        .orderBy(desc(events.id))
        .limit(q.limit + 1);
      return toPage(rows, q.limit, eventView, (r) => r.id);
    },

    /**
     * Changes recorded on these nodes between two times, newest first (an
     * incident's suspects); event types starting with `skip` are left out.
     */
    async onNodes(nodeIds: string[], from: Date, to: Date, skip: string[], limit: number): Promise<EventView[]> {
      if (!nodeIds.length) return [];
      const rows = await db.select().from(events)
        .where(and(inArray(events.nodeId, nodeIds), gte(events.at, from), lte(events.at, to), ...skip.map((p) => notLike(events.type, `${p}%`))))
        .orderBy(desc(events.id)).limit(limit);
      return rows.map(eventView);
    },

    /** The events with these ids, oldest first (another server announced them). */
    async byIds(ids: string[]): Promise<EventView[]> {
      const nums = ids.map(Number).filter(Number.isSafeInteger);
      if (!nums.length) return [];
      const rows = await db.select().from(events).where(inArray(events.id, nums)).orderBy(events.id);
      return rows.map(eventView);
    },

    /** Events after `id`, oldest first: what an SSE client missed while disconnected. */
    async since(afterId: number, limit: number): Promise<EventView[]> {
      const rows = await db.select().from(events).where(gte(events.id, afterId + 1)).orderBy(events.id).limit(limit);
      return rows.map(eventView);
    },
  };
}

export type EventService = ReturnType<typeof createEventService>;
