import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/db.js';

/**
 * Tells the other servers sharing the database what this one committed: new
 * event ids (for their SSE streams and listeners) and that caches derived from
 * users, roles and credentials must be dropped.
 */
export interface Fanout {
  afterCommit(eventIds: string[], invalidate: boolean): void;
  close(): Promise<void>;
}

/** One server (PGlite, or a single PostgreSQL server): nothing to tell. */
export const localFanout: Fanout = { afterCommit: () => undefined, close: () => Promise.resolve() };

interface Message {
  /** Sender, so a server ignores its own notices. */
  s: string;
  e: string[];
  i: boolean;
}

const CHANNEL = 'opsline_fanout';
/** NOTIFY payloads are limited to 8000 bytes; ids are sent in chunks well under it. */
const IDS_PER_NOTICE = 200;
const RECONNECT_MS = 2_000;

/** PostgreSQL LISTEN/NOTIFY between servers; the listener reconnects on its own after a lost connection. */
export async function createPgFanout(deps: {
  url: string;
  db: Db;
  log: FastifyBaseLogger;
  onEvents(ids: string[]): void;
  onInvalidate(): void;
}): Promise<Fanout> {
  const self = randomUUID();
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const receive = (payload: string | undefined): void => {
    try {
      const m = JSON.parse(payload ?? '') as Message;
      if (m.s === self) return;
      if (m.i) deps.onInvalidate();
      if (m.e.length) deps.onEvents(m.e);
    } catch (err) {
      deps.log.warn({ err }, 'ignored a malformed fan-out notice');
    }
  };

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: deps.url });
    c.on('notification', (n) => receive(n.payload));
    c.on('error', (err) => {
      deps.log.warn({ err }, 'fan-out listener lost its connection; reconnecting');
      void c.end().catch(() => undefined);
      schedule();
    });
    await c.connect();
    await c.query(`listen ${CHANNEL}`);
    client = c;
    // What was committed while we were away is invisible to NOTIFY: drop every cache to be safe.
    deps.onInvalidate();
  };

  const schedule = (): void => {
    client = null;
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch((err: unknown) => {
        deps.log.warn({ err }, 'fan-out listener could not reconnect');
        schedule();
      });
    }, RECONNECT_MS);
    retry.unref();
  };

  await connect();

  const notify = (m: Message): void => {
    deps.db.execute(sql`select pg_notify(${CHANNEL}, ${JSON.stringify(m)})`).catch((err: unknown) => {
      deps.log.warn({ err }, 'could not notify the other servers');
    });
  };

  return {
    afterCommit(eventIds, invalidate) {
      if (!eventIds.length && !invalidate) return;
      if (eventIds.length <= IDS_PER_NOTICE) return notify({ s: self, e: eventIds, i: invalidate });
      for (let i = 0; i < eventIds.length; i += IDS_PER_NOTICE) {
        notify({ s: self, e: eventIds.slice(i, i + IDS_PER_NOTICE), i: invalidate && i === 0 });
      }
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
