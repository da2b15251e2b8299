import { Cron } from 'croner';
import { eq, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import { rowsOf, type Db } from '../db/db.js';
import { inTransaction } from '../db/tx.js';
import { schedulerRuns } from './scheduler.tables.js';

export interface ScheduledJob {
  /** Unique, stable: it keys the lock and the last-tick record. */
  name: string;
  /** Cron pattern with optional seconds, as croner reads it. */
  cron: string;
  /** Runs inside the job's transaction; use `tx` for every query (PGlite has one connection). */
  run(tx: Db): Promise<void>;
}

export type TickResult = 'ran' | 'skipped' | 'failed';

/**
 * Cron jobs that later modules register. Each tick runs once across all
 * servers: the job runs under a transaction-scoped advisory lock and records
 * the tick it did, so a second server holding the same tick skips it.
 */
export function createScheduler(deps: { db: Db; clock: Clock; log: FastifyBaseLogger }) {
  const { db, clock, log } = deps;
  const jobs = new Map<string, ScheduledJob>();
  const timers: Cron[] = [];

  async function tick(name: string, scheduledAt: Date): Promise<TickResult> {
    const job = jobs.get(name);
    if (!job) throw new Error(`no scheduled job named ${name}`);
    try {
      return await inTransaction(db, async (tx) => {
        const locked = await tx.execute(sql`select pg_try_advisory_xact_lock(hashtext(${`opsline:job:${name}`})) as ok`);
        if (!rowsOf<{ ok: boolean }>(locked)[0]?.ok) return 'skipped';
        const [last] = await tx.select().from(schedulerRuns).where(eq(schedulerRuns.name, name)).limit(1);
        if (last && last.lastTick >= scheduledAt) return 'skipped';
        const startedAt = clock.now();
        await job.run(tx);
        const done = { lastTick: scheduledAt, lastStartedAt: startedAt, lastFinishedAt: clock.now(), lastError: null };
        await tx.insert(schedulerRuns).values({ name, ...done }).onConflictDoUpdate({ target: schedulerRuns.name, set: done });
        return 'ran';
      });
    } catch (err) {
      log.error({ err, job: name }, 'scheduled job failed');
      return 'failed';
    }
  }

  return {
    register(job: ScheduledJob): void {
      if (jobs.has(job.name)) throw new Error(`scheduled job ${job.name} registered twice`);
      new Cron(job.cron, { paused: true }).stop(); // throws now on a bad pattern, not at the first tick
      jobs.set(job.name, job);
    },
    /** Start the timers (the server does; tests call `tick` with the times they choose). */
    start(): void {
      for (const job of jobs.values()) {
        const timer = new Cron(job.cron, { protect: true }, (self: Cron) => {
          const at = self.currentRun() ?? clock.now();
          at.setMilliseconds(0);
          void tick(job.name, at);
        });
        timers.push(timer);
      }
    },
    stop(): void {
      for (const t of timers.splice(0)) t.stop();
    },
    tick,
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
