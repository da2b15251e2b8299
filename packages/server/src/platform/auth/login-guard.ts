import { eq, lt, sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import { MINUTE } from '../clock.js';
import type { Db } from '../db/db.js';
import { AppError } from '../errors/app-error.js';
import { loginFailures } from './auth.tables.js';

export interface LoginPolicy {
  loginMaxFailures: number;
  loginLockMinutes: number;
}

/** Attempts per source address per minute before 429: slows password spraying across accounts. */
const ATTEMPTS_PER_IP_PER_MINUTE = 30;

/**
 * Two brakes on guessing: a per-address rate limit (in memory, per server)
 * and a per-account lockout after repeated failures (in the database, so it
 * holds across servers and restarts).
 */
export function createLoginGuard(deps: { db: Db; clock: Clock; policy: LoginPolicy }) {
  const { db, clock, policy } = deps;
  const lockMs = policy.loginLockMinutes * MINUTE;
  const windows = new Map<string, { start: number; count: number }>();

  return {
    /** Throws 429 when `ip` has tried too often this minute. */
    checkRate(ip: string): void {
      const now = clock.now().getTime();
      const w = windows.get(ip);
      if (!w || now - w.start >= MINUTE) {
        if (windows.size > 10_000) windows.clear();
        windows.set(ip, { start: now, count: 1 });
        return;
      }
      w.count += 1;
      if (w.count > ATTEMPTS_PER_IP_PER_MINUTE) {
        const retry = Math.ceil((w.start + MINUTE - now) / 1000);
        throw new AppError('RATE_LIMITED', `Too many sign-in attempts from your address; retry in ${retry} s`, undefined, {
          'retry-after': String(retry),
        });
      }
    },

    /** Throws 423 while the account is locked. */
    async checkLock(username: string): Promise<void> {
      const [row] = await db.select().from(loginFailures).where(eq(loginFailures.username, username)).limit(1);
      const now = clock.now();
      if (row?.lockedUntil && row.lockedUntil > now) throw lockedError(row.lockedUntil, now);
    },

    /** Counts a failure; returns the lock end when this failure locked the account. */
    async recordFailure(username: string): Promise<Date | null> {
      const now = clock.now();
      const windowStart = new Date(now.getTime() - lockMs);
      const [row] = await db
        .insert(loginFailures)
        .values({ username, failures: 1, firstFailedAt: now })
        .onConflictDoUpdate({
          target: loginFailures.username,
          set: {
            // A failure streak older than the lock period starts over.
            failures: sql`case when ${loginFailures.firstFailedAt} < ${windowStart} then 1 else ${loginFailures.failures} + 1 end`,
            firstFailedAt: sql`case when ${loginFailures.firstFailedAt} < ${windowStart} then ${now} else ${loginFailures.firstFailedAt} end`,
            lockedUntil: null,
          },
        })
        .returning();
      if (!row || row.failures < policy.loginMaxFailures) return null;
      const until = new Date(now.getTime() + lockMs);
      await db.update(loginFailures).set({ lockedUntil: until, failures: 0, firstFailedAt: now }).where(eq(loginFailures.username, username));
      return until;
    },

    async recordSuccess(tx: Db, username: string): Promise<void> {
      await tx.delete(loginFailures).where(eq(loginFailures.username, username));
    },

    async sweep(tx: Db): Promise<void> {
      const now = clock.now();
      await tx.delete(loginFailures).where(lt(loginFailures.firstFailedAt, new Date(now.getTime() - lockMs)));
    },
  };
}

export type LoginGuard = ReturnType<typeof createLoginGuard>;

export function lockedError(until: Date, now: Date): AppError {
  const retry = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new AppError(
    'AUTH_ACCOUNT_LOCKED',
    `Too many failed sign-ins; the account is locked until ${until.toISOString()}`,
    { lockedUntil: until.toISOString() },
    { 'retry-after': String(retry) },
  );
}
