import { and, count, eq, gt } from 'drizzle-orm';
import type { JobRunView, StartJobRunBody } from '@opsline/contracts';
import { uuidv7 } from '../../platform/ids.js';
import type { PlatformServices } from '../../platform/services.js';
import type { IncomingAlert } from './grouping.js';
import { incidentsRepo, type IncidentRow } from './incidents.repo.js';
import { incidentSelfHeals } from './incidents.tables.js';

/** What self-healing needs of the job center. */
export interface SelfHealJobs {
  start(body: StartJobRunBody, userId: string, actorName: string): Promise<JobRunView>;
  templateParamNames(templateId: string): Promise<string[] | undefined>;
}

export interface SelfHealRule {
  id: string;
  name: string;
  selfHeal: { templateId: string; maxPerHostPerHour: number } | null;
  /** Who set the rule up: the run starts as them, with their permissions. */
  createdBy?: string | null | undefined;
}

/**
 * Self-healing: a routing rule may start a job template on a new alert's host,
 * with the alert as parameters (those the template's script declares: ALERT_NAME,
 * ALERT_TITLE, ALERT_SEVERITY, ALERT_LABELS as JSON, ALERT_HOST_ID,
 * INCIDENT_ID, INCIDENT_NUMBER). Never on resolve; at most N runs per host an hour.
 */
export function createSelfHeal(deps: { platform: PlatformServices; jobs: SelfHealJobs }) {
  const { platform, jobs } = deps;
  const { db, clock } = platform;
  const note = (incidentId: string, text: string, data: Record<string, unknown> = {}): Promise<void> => incidentsRepo.addTimeline(db, incidentId, clock.now(), 'self_heal', text, null, data);

  return {
    async run(inc: IncidentRow, alert: IncomingAlert, rule: SelfHealRule): Promise<void> {
      const heal = rule.selfHeal;
      if (!heal || !alert.hostId || alert.change !== 'new' || alert.silenced) return;
      const now = clock.now();
      const [used] = await db.select({ n: count() }).from(incidentSelfHeals).where(and(eq(incidentSelfHeals.hostId, alert.hostId), gt(incidentSelfHeals.at, new Date(now.getTime() - 3_600_000))));
      if ((used?.n ?? 0) >= heal.maxPerHostPerHour) {
        await note(inc.id, `Self-healing (${rule.name}) skipped: it already ran ${heal.maxPerHostPerHour} times on this host in the last hour`, { ruleId: rule.id, hostId: alert.hostId });
        return;
      }
      const declared = await jobs.templateParamNames(heal.templateId);
      if (!declared) return note(inc.id, `Self-healing (${rule.name}) could not start: its job template is gone`, { ruleId: rule.id });
      if (!rule.createdBy) return note(inc.id, `Self-healing (${rule.name}) could not start: the rule has no owner to run as`, { ruleId: rule.id });
      const values: Record<string, string> = {
        ALERT_NAME: alert.labels.alertname ?? alert.title, ALERT_TITLE: alert.title, ALERT_SEVERITY: alert.severity, ALERT_LABELS: JSON.stringify(alert.labels),
        ALERT_HOST_ID: alert.hostId, INCIDENT_ID: inc.id, INCIDENT_NUMBER: String(inc.number),
      };
      const params = Object.fromEntries(Object.entries(values).filter(([k]) => declared.includes(k)));
      const id = uuidv7(now.getTime());
      await db.insert(incidentSelfHeals).values({ id, incidentId: inc.id, hostId: alert.hostId, ruleId: rule.id, runId: null, at: now });
      try {
        const run = await jobs.start({ templateId: heal.templateId, targets: { hostIds: [alert.hostId], nodeIds: [] }, params, name: `self-heal: ${alert.title}`.slice(0, 128) }, rule.createdBy, `self-heal (${rule.name})`);
        await db.update(incidentSelfHeals).set({ runId: run.id }).where(eq(incidentSelfHeals.id, id));
        await note(inc.id, `Self-healing (${rule.name}) started job run ${run.name} on the alert's host`, { ruleId: rule.id, runId: run.id, hostId: alert.hostId });
      } catch (err) {
        await note(inc.id, `Self-healing (${rule.name}) could not start: ${err instanceof Error ? err.message : String(err)}`, { ruleId: rule.id, hostId: alert.hostId });
      }
    },

    /** A job run ended (any server): if it was self-healing, its incident hears how it went. */
    async runFinished(runId: string, status: string, name: string): Promise<void> {
      const [heal] = await db.select().from(incidentSelfHeals).where(eq(incidentSelfHeals.runId, runId)).limit(1);
      if (heal) await note(heal.incidentId, `Self-healing run ${name} ended ${status}`, { runId, status });
    },
  };
}

export type SelfHeal = ReturnType<typeof createSelfHeal>;
