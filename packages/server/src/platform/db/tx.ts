import type { Db } from './db.js';

/** Run `fn` in one transaction: it commits when `fn` resolves and rolls back when it throws. */
export function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction((tx) => fn(tx as unknown as Db));
}
