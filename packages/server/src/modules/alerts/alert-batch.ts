import type { AlertSeverity, AlertStatus, EventSeverity, EventView, IngestResult } from '@opsline/contracts';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/db.js';
import { inTransaction } from '../../platform/db/tx.js';
import type { EventService, PendingEvent } from '../../platform/events/events.service.js';
import { uuidv7 } from '../../platform/ids.js';
import type { IncomingAlert, IngestIntegration } from './alert-normalize.js';
import type { AlertChange } from './alert-listeners.js';
import { alertRepo, type AlertRow, type NewAlertRow } from './alert.repo.js';
import { alertView } from './alert-view.js';

/** An incoming alert placed in the CMDB and checked against the silences and inhibition rules. */
export interface PlacedAlert extends IncomingAlert {
  hostId: string | null;
  nodeId: string | null;
  silencedBy: string | null;
  inhibitedBy: string | null;
  /** Inhibited by an alert arriving in the same delivery: its fingerprint, made its id once written. */
  inhibitedByFingerprint?: string | null;
}

/** Consecutive deliveries of one fingerprint with one status: the last one's content, and how many. */
interface Run {
  status: AlertStatus;
  alert: PlacedAlert;
  n: number;
}

/**
 * A delivery's alerts as rounds in which each fingerprint appears at most
 * once (one statement may not touch a row twice). Almost every delivery is
 * one round; `firing ×3, resolved, firing` of one fingerprint makes three.
 */
export function roundsOf(alerts: PlacedAlert[]): Run[][] {
  const runs = new Map<string, Run[]>();
  for (const a of alerts) {
    const list = runs.get(a.fingerprint) ?? [];
    const last = list.at(-1);
    if (last?.status === a.status) Object.assign(last, { alert: a, n: last.n + 1 });
    else list.push({ status: a.status, alert: a, n: 1 });
    runs.set(a.fingerprint, list);
  }
  const rounds: Run[][] = [];
  for (const list of runs.values()) list.forEach((run, i) => (rounds[i] ??= []).push(run));
  return rounds;
}

const EVENT_SEVERITY: Record<AlertSeverity, EventSeverity> = { P0: 'critical', P1: 'critical', P2: 'warning', P3: 'warning', P4: 'info', P5: 'info' };
const DEADLOCK_CODES = new Set(['40P01', '40001']);

function retryable(err: unknown): boolean {
  const code = (e: unknown): unknown => (e && typeof e === 'object' && 'code' in e ? e.code : undefined);
  const cause = err && typeof err === 'object' && 'cause' in err ? err.cause : undefined;
  return DEADLOCK_CODES.has(String(code(err))) || DEADLOCK_CODES.has(String(code(cause)));
}

export interface WrittenBatch {
  result: IngestResult;
  changes: AlertChange[];
  events: EventView[];
}

/**
 * Writes one delivery in one transaction: its body, then per round one
 * UPDATE closing resolved fingerprints and one INSERT … ON CONFLICT opening
 * or counting firing ones, then one INSERT of the events (a new occurrence
 * fires, an end resolves; repeats make no event). Retried on deadlock.
 */
export async function writeBatch(
  deps: { db: Db; clock: Clock; events: EventService },
  integration: IngestIntegration,
  alerts: PlacedAlert[],
  raw: string,
): Promise<WrittenBatch> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(deps.db, (tx) => writeIn(tx, deps, integration, alerts, raw));
    } catch (err) {
      if (attempt >= 3 || !retryable(err)) throw err;
    }
  }
}

async function writeIn(tx: Db, deps: { clock: Clock; events: EventService }, integration: IngestIntegration, alerts: PlacedAlert[], raw: string): Promise<WrittenBatch> {
  const now = deps.clock.now();
  const payloadId = uuidv7(now.getTime());
  await alertRepo.insertPayload(tx, { id: payloadId, integrationId: integration.id, body: raw, receivedAt: now });
  const changes: { kind: AlertChange['kind']; row: AlertRow }[] = [];
  const result: IngestResult = { accepted: alerts.length, fired: 0, repeated: 0, resolved: 0, ignored: 0 };
  for (const round of roundsOf(alerts)) {
    const ending = round.filter((r) => r.status === 'resolved');
    const times = { startsAt: {} as Record<string, string>, endsAt: {} as Record<string, string> };
    for (const { alert: a } of ending) {
      if (a.startsAt) times.startsAt[a.fingerprint] = a.startsAt.toISOString();
      if (a.endsAt) times.endsAt[a.fingerprint] = a.endsAt.toISOString();
    }
    const closed = await alertRepo.resolve(tx, ending.map((r) => r.alert.fingerprint), times, now, payloadId);
    const offered = round.filter((r) => r.status === 'firing').map((r) => rowOf(r, integration, now, payloadId));
    const ids = new Set(offered.map((r) => r.id));
    const upserted = await alertRepo.upsertFiring(tx, offered);
    changes.push(...closed.map((row) => ({ kind: 'resolved' as const, row })));
    changes.push(...upserted.map((row) => ({ kind: ids.has(row.id) ? ('fired' as const) : ('repeated' as const), row })));
    result.resolved += closed.length;
    result.ignored += ending.reduce((n, r) => n + r.n, 0) - closed.length;
    result.fired += upserted.filter((row) => ids.has(row.id)).length;
  }
  result.repeated = alerts.filter((a) => a.status === 'firing').length - result.fired;
  await linkInhibitors(tx, alerts, changes);
  const actor = { id: null, name: `integration ${integration.name}` };
  const events = await deps.events.appendMany(tx, changes.flatMap(({ kind, row }): PendingEvent[] => {
    const meta = { actor, resourceType: 'alert', resourceId: row.id, nodeId: row.nodeId };
    if (kind === 'fired') {
      return [{
        type: 'alert.fired',
        payload: { alertId: row.id, fingerprint: row.fingerprint, title: row.title, severity: row.severity, integrationId: row.integrationId, hostId: row.hostId, silencedBy: row.silencedBy, inhibitedBy: row.inhibitedBy },
        meta: { ...meta, severity: EVENT_SEVERITY[row.severity as AlertSeverity], summary: `${row.severity} alert fired: ${row.title}${row.silencedBy ? ' (silenced)' : row.inhibitedBy ? ' (inhibited)' : ''}` },
      }];
    }
    if (kind === 'resolved') {
      return [{ type: 'alert.resolved', payload: { alertId: row.id, fingerprint: row.fingerprint, title: row.title, severity: row.severity }, meta: { ...meta, summary: `alert resolved: ${row.title}` } }];
    }
    return [];
  }));
  return { result, events, changes: changes.map(({ kind, row }) => ({ kind, alert: alertView(row), silenced: row.silencedBy !== null || row.inhibitedBy !== null })) };
}

/** Alerts inhibited by another of the same delivery point at its id now that it is written (rare: one UPDATE each). */
async function linkInhibitors(tx: Db, alerts: PlacedAlert[], changes: { row: AlertRow }[]): Promise<void> {
  const held = alerts.filter((a) => a.inhibitedByFingerprint);
  if (!held.length) return;
  const firingId = new Map(changes.filter((c) => c.row.status === 'firing').map((c) => [c.row.fingerprint, c.row]));
  for (const a of held) {
    const target = firingId.get(a.fingerprint);
    const source = firingId.get(a.inhibitedByFingerprint ?? '');
    if (!target || !source || target.inhibitedBy) continue;
    target.inhibitedBy = source.id;
    await alertRepo.setInhibitedBy(tx, target.id, source.id);
  }
}

function rowOf(run: Run, integration: IngestIntegration, now: Date, payloadId: string): NewAlertRow {
  const a = run.alert;
  return {
    id: uuidv7(now.getTime()), fingerprint: a.fingerprint, integrationId: integration.id, status: 'firing', severity: a.severity, title: a.title,
    description: a.description, labels: a.labels, annotations: a.annotations, source: `${integration.type}:${integration.name}`, hostId: a.hostId,
    nodeId: a.nodeId, startsAt: a.startsAt ?? now, endsAt: null, count: run.n, firstSeenAt: now, lastSeenAt: now, resolvedAt: null,
    silencedBy: a.silencedBy, inhibitedBy: a.inhibitedBy, ackedBy: null, ackedAt: null, payloadId,
  };
}
