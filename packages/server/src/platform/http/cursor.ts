import { gte, lt, lte, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { AppError } from '../errors/app-error.js';

/** Opaque keyset cursors: base64url JSON of the last item's sort key. */
export function encodeCursor(key: string | number): string {
  return Buffer.from(JSON.stringify({ k: key })).toString('base64url');
}

export function decodeCursor(cursor: string, kind: 'string'): string;
export function decodeCursor(cursor: string, kind: 'number'): number;
export function decodeCursor(cursor: string, kind: 'string' | 'number'): string | number {
  let key: unknown;
  try {
    key = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown }).k;
  } catch {
    key = undefined;
  }
  if (typeof key !== kind || (kind === 'number' && !Number.isSafeInteger(key))) {
    throw new AppError('INVALID_CURSOR', 'query.cursor: not a cursor this list gave out; start again without it', {
      issues: [{ field: 'query.cursor', message: 'invalid cursor' }],
    });
  }
  return key as string | number;
}

/** Slice a `limit + 1` result into a page, with the cursor taken from the last item kept. */
export function toPage<R, V>(rows: R[], limit: number, view: (r: R) => V, key: (r: R) => string | number) {
  const more = rows.length > limit;
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  return { items: kept.map(view), nextCursor: more && last !== undefined ? encodeCursor(key(last)) : null };
}

/** `toPage` for views built in one batch (they need more queries: roles, members). */
export async function toPageBatch<R, V>(rows: R[], limit: number, views: (rows: R[]) => Promise<V[]>, key: (r: R) => string | number) {
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  return { items: await views(kept), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(key(last)) : null };
}

/** The conditions every newest-first log shares (audit, events): a time window and the keyset cursor on the id. */
export function logWindow(
  at: PgColumn,
  id: PgColumn,
  q: { since?: string | undefined; until?: string | undefined; cursor?: string | undefined },
): (SQL | undefined)[] {
  const before = q.cursor ? decodeCursor(q.cursor, 'number') : undefined;
  return [
    q.since ? gte(at, new Date(q.since)) : undefined,
    q.until ? lte(at, new Date(q.until)) : undefined,
    before !== undefined ? lt(id, before) : undefined,
  ];
}
