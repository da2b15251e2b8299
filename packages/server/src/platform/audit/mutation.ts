import type { EventName, EventPayload, EventView } from '@opsline/contracts';
import type { Db } from '../db/db.js';
import { inTransaction } from '../db/tx.js';
import type { EventBus } from '../events/event-bus.js';
import type { EventMeta, EventService } from '../events/events.service.js';
import type { AuditDraft, AuditOrigin, AuditService } from './audit.service.js';
import type { Fanout } from '../events/fanout.js';

/** What a service gets for a change: the transaction, who acts, the audit draft, and the event log. */
export interface MutationContext {
  tx: Db;
  actor: { id: string | null; name: string };
  audit: AuditDraft;
  emit<N extends EventName>(type: N, payload: EventPayload<N>, meta: Omit<EventMeta, 'actor'>): Promise<void>;
  /**
   * Run after commit, never for a change that rolled back. Only for cache
   * invalidation: the other servers are told to drop their caches too.
   */
  onCommit(fn: () => void): void;
  /** Run after commit, never for a change that rolled back; no cache effect (starting work the change made, e.g. sending tasks). */
  afterCommit(fn: () => void): void;
}

export type MutationRunner = <T>(
  spec: { action: string; origin: AuditOrigin; draft: AuditDraft },
  fn: (ctx: MutationContext) => Promise<T>,
) => Promise<T>;

/**
 * Runs a change, its audit record and its events in one transaction: if the
 * audit row cannot be written, the change does not happen. Events reach the
 * in-process bus only after commit.
 */
export function createMutationRunner(deps: {
  db: Db;
  audit: AuditService;
  events: EventService;
  bus: EventBus;
  /** The other servers hear of events and cache invalidations through it. */
  fanout: () => Fanout;
}): MutationRunner {
  return async (spec, fn) => {
    const committed: EventView[] = [];
    const afterCommit: (() => void)[] = [];
    const started: (() => void)[] = [];
    const actor = { id: spec.origin.actorId, name: spec.origin.actorName };
    const result = await inTransaction(deps.db, async (tx) => {
      const pending: EventView[] = [];
      const hooks: (() => void)[] = [];
      const work: (() => void)[] = [];
      const ctx: MutationContext = {
        tx,
        actor,
        audit: spec.draft,
        emit: async (type, payload, meta) => {
          pending.push(await deps.events.append(tx, type, payload, { ...meta, actor }));
        },
        onCommit: (f) => {
          hooks.push(f);
        },
        afterCommit: (f) => {
          work.push(f);
        },
      };
      const value = await fn(ctx);
      await deps.audit.write(tx, { origin: spec.origin, action: spec.action, draft: spec.draft, result: 'success' });
      committed.push(...pending);
      afterCommit.push(...hooks);
      started.push(...work);
      return value;
    });
    for (const f of afterCommit) f();
    for (const f of started) f();
    for (const e of committed) deps.bus.publish(e);
    deps.fanout().afterCommit(committed.map((e) => e.id), afterCommit.length > 0);
    return result;
  };
}
