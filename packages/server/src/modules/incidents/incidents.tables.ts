import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { GroupingRuleBody, IncidentSettings, Postmortem } from '@opsline/contracts';
import { at, id } from '../../platform/db/columns.js';

/** Incidents (事件单). `group_key` names the alert group an open incident gathers (one open incident per key). */
export const incidents = pgTable(
  'incidents',
  {
    id: id(),
    number: bigserial('number', { mode: 'number' }).notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    status: text('status').notNull(),
    impact: text('impact').notNull(),
    urgency: text('urgency').notNull(),
    priority: text('priority').notNull(),
    source: text('source').notNull(),
    nodeId: uuid('node_id'),
    /** The integration its first alert came from (storms gather by integration or node). */
    integrationId: uuid('integration_id'),
    assigneeId: uuid('assignee_id'),
    assigneeName: text('assignee_name'),
    escalationPolicyId: uuid('escalation_policy_id'),
    /** The level paged last (-1: none yet), the round of the chain, when the next level is due (null: no more). */
    escLevel: integer('esc_level').notNull().default(-1),
    escRound: integer('esc_round').notNull().default(0),
    escNextAt: at('esc_next_at'),
    groupKey: text('group_key'),
    /** Alerts of the group join until then; later ones open a new incident. */
    groupUntil: at('group_until'),
    alertCount: integer('alert_count').notNull().default(0),
    firingCount: integer('firing_count').notNull().default(0),
    /** A storm incident's alert count when its last summary went out. */
    notifiedCount: integer('notified_count').notNull().default(0),
    notifiedAt: at('notified_at'),
    ackDueAt: at('ack_due_at').notNull(),
    resolveDueAt: at('resolve_due_at').notNull(),
    ackBreachedAt: at('ack_breached_at'),
    resolveBreachedAt: at('resolve_breached_at'),
    postmortem: jsonb('postmortem').$type<Postmortem>(),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
    acknowledgedAt: at('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
    resolvedAt: at('resolved_at'),
    resolvedBy: text('resolved_by'),
  },
  (t) => [
    uniqueIndex('incidents_open_group_idx').on(t.groupKey).where(sql`${t.status} <> 'resolved' and ${t.groupKey} is not null`),
    index('incidents_status_idx').on(t.status, t.escNextAt),
    index('incidents_node_idx').on(t.nodeId),
  ],
);

/** Which alerts an incident gathered. */
export const incidentAlerts = pgTable(
  'incident_alerts',
  {
    incidentId: uuid('incident_id').notNull(),
    alertId: uuid('alert_id').notNull(),
    title: text('title').notNull(),
    severity: text('severity').notNull(),
    firing: boolean('firing').notNull(),
    addedAt: at('added_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.alertId] }), index('incident_alerts_alert_idx').on(t.alertId)],
);

/** Everything that happened to an incident, oldest first. */
export const incidentTimeline = pgTable(
  'incident_timeline',
  {
    id: id(),
    incidentId: uuid('incident_id').notNull(),
    at: at('at').notNull(),
    kind: text('kind').notNull(),
    actor: text('actor'),
    text: text('text').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index('incident_timeline_incident_idx').on(t.incidentId, t.id)],
);

export const groupingRules = pgTable('incident_grouping_rules', {
  id: id(),
  name: text('name').notNull(),
  match: jsonb('match').$type<GroupingRuleBody['match']>().notNull(),
  groupBy: jsonb('group_by').$type<string[]>().notNull(),
  windowMinutes: integer('window_minutes').notNull(),
  order: integer('order').notNull(),
  enabled: boolean('enabled').notNull(),
  createdAt: at('created_at').notNull(),
});

/** The priority matrix, SLA targets and storm/grouping defaults: one row, id `default`. */
export const incidentSettings = pgTable('incident_settings', {
  id: text('id').primaryKey(),
  settings: jsonb('settings').$type<IncidentSettings>().notNull(),
  updatedAt: at('updated_at').notNull(),
});

/** Self-healing runs started for alerts: counted per host for the rate limit; a finished run is told to its incident. */
export const incidentSelfHeals = pgTable(
  'incident_self_heals',
  {
    id: id(),
    incidentId: uuid('incident_id').notNull(),
    hostId: uuid('host_id').notNull(),
    ruleId: uuid('rule_id').notNull(),
    runId: uuid('run_id'),
    at: at('at').notNull(),
  },
  (t) => [index('incident_self_heals_host_idx').on(t.hostId, t.at), index('incident_self_heals_run_idx').on(t.runId)],
);
