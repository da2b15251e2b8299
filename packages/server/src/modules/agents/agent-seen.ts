import type { AgentMetrics } from '@opsline/contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/db.js';
import { agentRepo } from './agent.repo.js';

/** How often heartbeats and metrics reach the database: a thousand agents cost one statement per period, not a hundred a second. */
export const SEEN_FLUSH_MS = 2_000;

/**
 * Last-seen times and latest metrics of connected agents, kept in memory and
 * written together now and then. Only the newest figures of each agent are
 * written; they are the latest-value view (history is the metrics module's).
 */
export function createSeenWriter(deps: { db: Db; clock: Clock; log: FastifyBaseLogger; flushMs?: number }) {
  const pending = new Map<string, { at: Date; metrics?: AgentMetrics }>();
  let writing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => void flush(), deps.flushMs ?? SEEN_FLUSH_MS);
  timer.unref();

  function flush(): Promise<void> {
    if (!pending.size) return writing;
    const batch = [...pending].map(([id, v]) => ({ id, ...v }));
    pending.clear();
    writing = writing
      .then(() => agentRepo.touchAgents(deps.db, batch))
      .catch((err: unknown) => deps.log.warn({ err, agents: batch.length }, 'could not record agents\' last-seen times'));
    return writing;
  }

  return {
    /** A heartbeat (or metrics) from a connected agent. */
    note(agentId: string, metrics?: AgentMetrics): void {
      const prev = pending.get(agentId);
      pending.set(agentId, { at: deps.clock.now(), ...((metrics ?? prev?.metrics) && { metrics: metrics ?? prev?.metrics }) });
    },
    /** Writes what is pending (on shutdown, and in tests). */
    flush,
    stop(): Promise<void> {
      clearInterval(timer);
      return flush();
    },
  };
}

export type SeenWriter = ReturnType<typeof createSeenWriter>;
