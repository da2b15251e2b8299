import type { FastifyBaseLogger } from 'fastify';
import type { AlertView } from '@opsline/contracts';

/** What happened to an alert in one delivery: a new occurrence, a repeat of a firing one, or its end. */
export type AlertChangeKind = 'fired' | 'repeated' | 'resolved';

export interface AlertChange {
  kind: AlertChangeKind;
  alert: AlertView;
  /** A matching silence was active, or an inhibition rule held, when it arrived (`alert.silencedBy` / `alert.inhibitedBy` name it): store, show, page nobody. */
  silenced: boolean;
}

export type AlertsListener = (changes: AlertChange[]) => void | Promise<void>;

/**
 * In-process subscribers to committed alert changes. Each delivery's batch
 * reaches every listener once, after its transaction committed, batches in
 * the order this server committed them; a failing listener is logged and
 * does not stop the others.
 */
export function createAlertListeners(log: FastifyBaseLogger) {
  const listeners = new Set<AlertsListener>();
  let chain: Promise<void> = Promise.resolve();
  return {
    add(fn: AlertsListener): () => void {
      listeners.add(fn);
      return () => void listeners.delete(fn);
    },
    emit(changes: AlertChange[]): void {
      if (!changes.length || !listeners.size) return;
      const now = [...listeners];
      chain = chain.then(async () => {
        for (const fn of now) {
          try {
            await fn(changes);
          } catch (err) {
            log.error({ err }, 'an alerts listener failed');
          }
        }
      });
    },
    /** Resolves once every batch emitted so far has reached every listener. */
    settled: (): Promise<void> => chain,
  };
}

export type AlertListeners = ReturnType<typeof createAlertListeners>;
