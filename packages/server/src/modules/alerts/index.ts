import type { FastifyInstance } from 'fastify';
import type { AlertView } from '@opsline/contracts';
import type { PlatformServices } from '../../platform/services.js';
import type { TreeModule } from '../tree/index.js';
import { createAlertListeners, type AlertsListener } from './alert-listeners.js';
import { alertRepo, type SeenCursor } from './alert.repo.js';
import { alertRoutes } from './alert.routes.js';
import { alertView } from './alert-view.js';
import { createAlertService } from './alert.service.js';
import { inhibitRoutes } from './inhibit.routes.js';
import { createInhibitService } from './inhibit.service.js';
import { ingestRoutes } from './ingest.routes.js';
import { createIngestService } from './ingest.service.js';
import { integrationRoutes } from './integration.routes.js';
import { createIntegrationService } from './integration.service.js';
import { silenceRoutes } from './silence.routes.js';
import { createSilenceService } from './silence.service.js';

export type { AlertChange, AlertChangeKind, AlertsListener } from './alert-listeners.js';
export type { SeenCursor } from './alert.repo.js';
export { matchesAll } from './silence-match.js';

/** Bodies no alert points at any more are dropped after this long. */
const PAYLOAD_GRACE_MS = 60_000;

/** What other modules use of alert ingest. */
export interface AlertsModule {
  /**
   * Calls `fn` with each delivery's changed alerts (new, repeated, resolved;
   * silenced ones flagged) after they are committed, on the server that took
   * the delivery, batches in commit order. Answers a function that unsubscribes.
   */
  onAlerts(fn: AlertsListener): () => void;
  /** Resolves once every batch so far has reached every listener (tests, shutdown). */
  settled(): Promise<void>;
  /**
   * Firing, unsilenced alerts first seen after `after` and before `to`, oldest
   * first, at most `limit`: a listener that may have missed a batch (the
   * server stopped between commit and delivery) looks for what it never took in.
   */
  firingSeenBetween(after: SeenCursor, to: Date, limit: number): Promise<AlertView[]>;
  /** Which of these alert ids have resolved (perhaps unseen by a listener). */
  resolvedAmong(ids: string[]): Promise<string[]>;
}

/** Registers integrations, the ingest URLs, alerts and silences. */
export function registerAlertsModule(app: FastifyInstance, platform: PlatformServices, tree: TreeModule): AlertsModule {
  const listeners = createAlertListeners(platform.log);
  const integrations = createIntegrationService({ platform });
  const silences = createSilenceService({ platform });
  const alerts = createAlertService({ platform, tree });
  const inhibits = createInhibitService({ platform });
  const ingest = createIngestService({ platform, tree, integrations, silences, inhibits, listeners });
  integrationRoutes(app, integrations);
  ingestRoutes(app, ingest);
  alertRoutes(app, alerts);
  silenceRoutes(app, silences);
  inhibitRoutes(app, inhibits);
  platform.scheduler.register({
    name: 'alerts.payloads.prune',
    cron: '0 */5 * * * *',
    run: (tx) => alertRepo.prunePayloads(tx, new Date(platform.clock.now().getTime() - PAYLOAD_GRACE_MS)),
  });
  app.addHook('onClose', () => listeners.settled());
  return {
    onAlerts: (fn) => listeners.add(fn),
    settled: () => listeners.settled(),
    firingSeenBetween: async (after, to, limit) => (await alertRepo.firingSeenBetween(platform.db, after, to, limit)).map(alertView),
    resolvedAmong: (ids) => alertRepo.resolvedAmong(platform.db, ids),
  };
}
