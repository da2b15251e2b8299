import { and, eq, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { NotifyMessage } from '@opsline/contracts';
import { inTransaction } from '../../platform/db/tx.js';
import type { PlatformServices } from '../../platform/services.js';
import { incidentsRepo, type IncidentRow } from './incidents.repo.js';
import { asPriority } from './incidents.service.js';
import { incidents } from './incidents.tables.js';
import type { PagingPort } from './paging-port.js';

/** A storm incident sends a summary of what joined it at most this often. */
const STORM_SUMMARY_MS = 5 * 60_000;

const severityOf = (p: string): NotifyMessage['severity'] => (p === 'P0' || p === 'P1' ? 'critical' : p === 'P2' || p === 'P3' ? 'warning' : 'info');

/**
 * Paging. An incident's policy pages its levels in order: a level's
 * `delayMinutes` is how long it has to acknowledge before the next level is
 * paged; after the last level the chain starts again `repeat` times.
 * Acknowledging or resolving clears `esc_next_at`, which stops it at once.
 * Each due step is claimed with a conditional update, so one server pages it.
 * Also: SLA breaches, and storm summaries.
 */
export function createEscalation(deps: { platform: PlatformServices; paging: PagingPort }) {
  const { platform, paging } = deps;
  const { db, clock, notify } = platform;

  function message(inc: IncidentRow, title: string, text: string): NotifyMessage {
    return {
      title, text, severity: severityOf(inc.priority), source: `incident:${inc.id}`, link: `/incidents/${inc.id}`,
      ackLink: `/incidents/${inc.id}?do=ack`, resolveLink: `/incidents/${inc.id}?do=resolve`, dedupKey: `opsline-incident-${inc.id}`, action: 'trigger',
    };
  }

  /** Sends to the level's targets: schedules' and teams' people through their own rules, channels directly. */
  async function page(inc: IncidentRow, targets: Parameters<PagingPort['resolveTargets']>[0], what: string, msg: NotifyMessage): Promise<void> {
    const now = clock.now();
    const { userIds, channelIds } = await paging.resolveTargets(targets, now);
    const all = new Set(channelIds);
    const unreachable: string[] = [];
    for (const u of userIds) {
      const mine = (await paging.userChannels(u, asPriority(inc.priority), now)).channelIds;
      if (!mine.length) unreachable.push(u);
      mine.forEach((c) => all.add(c));
    }
    const deliveryIds = await notify.send([...all], msg);
    const text = all.size ? `${what}: ${userIds.length} people, ${all.size} channels` : `${what}: nobody could be reached (no on-call, no channels)`;
    await incidentsRepo.addTimeline(db, inc.id, now, 'notified', text, null, { userIds, channelIds: [...all], deliveryIds, unreachable });
  }

  async function step(inc: IncidentRow): Promise<void> {
    const now = clock.now();
    const [claimed] = await db.update(incidents).set({ escNextAt: null }).where(and(eq(incidents.id, inc.id), eq(incidents.status, 'triggered'), eq(incidents.escNextAt, inc.escNextAt ?? now))).returning();
    if (!claimed) return;
    const policy = claimed.escalationPolicyId ? await paging.policy(claimed.escalationPolicyId) : null;
    if (!policy?.levels.length) {
      await incidentsRepo.addTimeline(db, inc.id, now, 'escalated', 'Its escalation policy is gone: nobody more is paged', null);
      return;
    }
    let level = claimed.escLevel + 1;
    let round = claimed.escRound;
    if (level >= policy.levels.length) {
      if (round >= (policy.repeat ?? 0)) {
        await incidentsRepo.addTimeline(db, inc.id, now, 'escalated', `Every level of ${policy.name} was paged${round ? ` ${round + 1} times` : ''}; paging ends`, null, { round });
        return;
      }
      level = 0;
      round += 1;
    }
    const lv = policy.levels[level];
    if (!lv) return;
    const label = `Level ${level + 1} of ${policy.name}${round ? ` (round ${round + 1})` : ''}`;
    await page(claimed, lv.targets, label, message(claimed, `[${claimed.priority}] #${claimed.number} ${claimed.title}`, `${claimed.description || claimed.title}\n${claimed.alertCount} alert(s), ${claimed.firingCount} firing.`));
    await inTransaction(db, async (tx) => {
      await tx.update(incidents).set({ escLevel: level, escRound: round, escNextAt: new Date(now.getTime() + lv.delayMinutes * 60_000), notifiedCount: claimed.alertCount, notifiedAt: now })
        .where(and(eq(incidents.id, inc.id), eq(incidents.status, 'triggered')));
      if (level > 0 || round > 0) {
        await platform.events.append(tx, 'incident.escalated', { incidentId: inc.id, number: claimed.number, title: claimed.title, level: level + 1, round: round + 1 }, { summary: `incident #${claimed.number} escalated to ${label}`, resourceType: 'incident', resourceId: inc.id, nodeId: claimed.nodeId, severity: 'warning' });
      }
    });
  }

  async function breaches(): Promise<void> {
    const now = clock.now();
    for (const [target, due, at, states] of [['ack', incidents.ackDueAt, incidents.ackBreachedAt, ['triggered']], ['resolve', incidents.resolveDueAt, incidents.resolveBreachedAt, ['triggered', 'acknowledged']]] as const) {
      const hit = await db.update(incidents).set(target === 'ack' ? { ackBreachedAt: now } : { resolveBreachedAt: now })
        .where(and(lt(due, now), isNull(at), or(...states.map((s) => eq(incidents.status, s))))).returning();
      for (const inc of hit) {
        await inTransaction(db, async (tx) => {
          await incidentsRepo.addTimeline(tx, inc.id, now, 'sla_breached', `Time to ${target === 'ack' ? 'acknowledge' : 'resolve'} (${inc.priority}) ran out`, null, { target });
          await platform.events.append(tx, 'incident.sla_breached', { incidentId: inc.id, number: inc.number, title: inc.title, target }, { summary: `incident #${inc.number} breached its ${target} SLA`, resourceType: 'incident', resourceId: inc.id, nodeId: inc.nodeId, severity: 'warning' });
        });
      }
    }
  }

  /** A storm incident still gathering tells the last paged level how many joined, at most every five minutes. */
  async function stormSummaries(): Promise<void> {
    const now = clock.now();
    const growing = await db.select().from(incidents).where(and(eq(incidents.source, 'storm'), ne(incidents.status, 'resolved'), sql`${incidents.alertCount} > ${incidents.notifiedCount}`, lt(incidents.notifiedAt, new Date(now.getTime() - STORM_SUMMARY_MS))));
    for (const inc of growing) {
      const [claimed] = await db.update(incidents).set({ notifiedCount: inc.alertCount, notifiedAt: now }).where(and(eq(incidents.id, inc.id), eq(incidents.notifiedCount, inc.notifiedCount))).returning();
      const policy = claimed?.escalationPolicyId ? await paging.policy(claimed.escalationPolicyId) : null;
      const lv = policy?.levels[Math.max(0, inc.escLevel)];
      if (!claimed || !lv) continue;
      await page(claimed, lv.targets, 'Storm summary', message(claimed, `[${claimed.priority}] #${claimed.number} storm: ${claimed.alertCount - inc.notifiedCount} more alerts`, `${claimed.alertCount} alerts so far, ${claimed.firingCount} firing.`));
    }
  }

  return {
    /** Pages what is due, marks SLA breaches, sends storm summaries (a loop does it every few seconds; tests call it). */
    async tick(): Promise<void> {
      for (const inc of await incidentsRepo.due(db, clock.now())) await step(inc);
      await breaches();
      await stormSummaries();
    },
  };
}

export type Escalation = ReturnType<typeof createEscalation>;
