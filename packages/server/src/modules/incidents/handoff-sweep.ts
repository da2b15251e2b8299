import { eq, inArray } from 'drizzle-orm';
import type { AlertView } from '@opsline/contracts';
import type { PlatformServices } from '../../platform/services.js';
import type { AlertsModule, SeenCursor } from '../alerts/index.js';
import type { AlertIntake } from './alert-intake.js';
import type { IncomingAlert } from './grouping.js';
import { incidentAlerts } from './incidents.tables.js';

/** How often the sweep looks, by the platform clock. */
export const SWEEP_EVERY_MS = 30_000;
/** An alert younger than this may still be on its way to the intake: left alone. */
const SETTLE_MS = 30_000;
/** How far back a sweep after a start looks for alerts no incident took in. */
const LOOKBACK_MS = 60 * 60_000;
const BATCH = 1_000;

/**
 * The alerts module hands committed alert changes to incidents in-process,
 * after the commit: a server that stops in between has stored alerts no
 * incident knows of (or resolutions no incident saw). This sweep finds them —
 * firing alerts first seen in the last hour with no incident, and incident
 * alerts still marked firing whose alert has resolved — and takes them in as
 * if delivered. Each pass goes on from where the last one stopped.
 */
export function createHandoffSweep(deps: {
  platform: PlatformServices;
  alerts: Pick<AlertsModule, 'firingSeenBetween' | 'resolvedAmong'>;
  intake: AlertIntake;
  incoming: (a: AlertView) => IncomingAlert;
}) {
  const { db, clock, log } = deps.platform;
  let cursor: SeenCursor | null = null;

  async function missedFirings(now: number): Promise<number> {
    const after: SeenCursor = cursor && cursor.at.getTime() > now - LOOKBACK_MS ? cursor : { at: new Date(now - LOOKBACK_MS) };
    const to = new Date(now - SETTLE_MS);
    const seen = await deps.alerts.firingSeenBetween(after, to, BATCH);
    const last = seen.at(-1);
    cursor = seen.length === BATCH && last ? { at: new Date(last.firstSeenAt), id: last.id } : { at: to };
    if (!seen.length) return 0;
    const rows = await db.select({ alertId: incidentAlerts.alertId }).from(incidentAlerts).where(inArray(incidentAlerts.alertId, seen.map((a) => a.id)));
    const linked = new Set(rows.map((r) => r.alertId));
    const missed = seen.filter((a) => !linked.has(a.id));
    if (missed.length) {
      log.warn({ count: missed.length }, 'took in firing alerts that no incident had (their delivery was cut off, e.g. by a restart)');
      await deps.intake.ingest(missed.map(deps.incoming));
    }
    return missed.length;
  }

  async function missedResolutions(): Promise<number> {
    const open = await db.select({ alertId: incidentAlerts.alertId }).from(incidentAlerts).where(eq(incidentAlerts.firing, true)).limit(BATCH);
    const gone = await deps.alerts.resolvedAmong([...new Set(open.map((r) => r.alertId))]);
    if (gone.length) {
      log.warn({ count: gone.length }, 'took in resolutions that no incident had seen');
      await deps.intake.resolve(gone);
    }
    return gone.length;
  }

  return {
    /** One pass: answers how many firings and resolutions it took in. */
    async run(): Promise<{ fired: number; resolved: number }> {
      const fired = await missedFirings(clock.now().getTime());
      return { fired, resolved: await missedResolutions() };
    },
  };
}
