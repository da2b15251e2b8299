import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, text, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { IngestRateLimit, InhibitScope, LabelMatcher, SilenceRecurrence, WebhookMapping } from '@opsline/contracts';
import { at, id } from '../../platform/db/columns.js';

/** Where alerts come from; the key is kept only as its sha256 (ingest looks it up by that). */
export const alertIntegrations = pgTable(
  'alert_integrations',
  {
    id: id(),
    name: text('name').notNull(),
    type: text('type').notNull(),
    keyHash: text('key_hash').notNull(),
    keyPrefix: text('key_prefix').notNull(),
    enabled: boolean('enabled').notNull(),
    /** This integration's entries only; the type's defaults apply underneath. */
    severityMap: jsonb('severity_map').$type<Record<string, string>>().notNull(),
    defaultSeverity: text('default_severity').notNull(),
    webhookMapping: jsonb('webhook_mapping').$type<WebhookMapping>(),
    rateLimit: jsonb('rate_limit').$type<IngestRateLimit>().notNull(),
    createdBy: uuid('created_by'),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
    keyRotatedAt: at('key_rotated_at').notNull(),
  },
  (t) => [unique('alert_integrations_name_key').on(t.name), unique('alert_integrations_key_hash_key').on(t.keyHash)],
);

/** Accepted bodies as posted, one row per request; alerts point at the last one that carried them. */
export const alertPayloads = pgTable('alert_payloads', {
  id: id(),
  integrationId: uuid('integration_id').notNull(),
  body: text('body').notNull(),
  receivedAt: at('received_at').notNull(),
});

/**
 * One row per occurrence of a fingerprint. At most one firing row per
 * fingerprint (a partial unique index): concurrent deliveries of one alert
 * meet in INSERT … ON CONFLICT instead of opening two.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: id(),
    fingerprint: text('fingerprint').notNull(),
    integrationId: uuid('integration_id').references(() => alertIntegrations.id, { onDelete: 'set null' }),
    status: text('status').notNull(),
    severity: text('severity').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    labels: jsonb('labels').$type<Record<string, string>>().notNull(),
    annotations: jsonb('annotations').$type<Record<string, string>>().notNull(),
    source: text('source').notNull(),
    hostId: uuid('host_id'),
    nodeId: uuid('node_id'),
    startsAt: at('starts_at'),
    endsAt: at('ends_at'),
    count: integer('count').notNull(),
    firstSeenAt: at('first_seen_at').notNull(),
    lastSeenAt: at('last_seen_at').notNull(),
    resolvedAt: at('resolved_at'),
    silencedBy: uuid('silenced_by'),
    inhibitedBy: uuid('inhibited_by'),
    ackedBy: text('acked_by'),
    ackedAt: at('acked_at'),
    payloadId: uuid('payload_id'),
  },
  (t) => [
    uniqueIndex('alerts_firing_fingerprint_idx').on(t.fingerprint).where(sql`${t.status} = 'firing'`),
    index('alerts_last_seen_idx').on(t.lastSeenAt, t.id),
    index('alerts_status_last_seen_idx').on(t.status, t.lastSeenAt, t.id),
    index('alerts_integration_idx').on(t.integrationId, t.lastSeenAt),
    index('alerts_node_idx').on(t.nodeId, t.lastSeenAt),
    index('alerts_host_idx').on(t.hostId, t.lastSeenAt),
    index('alerts_payload_idx').on(t.payloadId),
  ],
);

/** Bodies an ingest URL refused, cut to 256 KiB; the newest 1,000 per integration are kept. */
export const alertRejectedPayloads = pgTable(
  'alert_rejected_payloads',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    integrationId: uuid('integration_id').notNull().references(() => alertIntegrations.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    body: text('body').notNull(),
    truncated: boolean('truncated').notNull(),
    bytes: integer('bytes').notNull(),
    receivedAt: at('received_at').notNull(),
  },
  (t) => [index('alert_rejected_integration_idx').on(t.integrationId, t.id)],
);

export const alertSilences = pgTable(
  'alert_silences',
  {
    id: id(),
    matchers: jsonb('matchers').$type<LabelMatcher[]>().notNull(),
    startsAt: at('starts_at').notNull(),
    endsAt: at('ends_at').notNull(),
    recurrence: jsonb('recurrence').$type<SilenceRecurrence>(),
    comment: text('comment').notNull(),
    createdBy: text('created_by').notNull(),
    createdById: uuid('created_by_id'),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [index('alert_silences_ends_idx').on(t.endsAt)],
);

/** Inhibition rules: while a source alert fires, matching targets in its scope page nobody. */
export const alertInhibitRules = pgTable('alert_inhibit_rules', {
  id: id(),
  name: text('name').notNull(),
  source: jsonb('source').$type<LabelMatcher[]>().notNull(),
  target: jsonb('target').$type<LabelMatcher[]>().notNull(),
  scope: text('scope').$type<InhibitScope>().notNull(),
  equal: jsonb('equal').$type<string[]>().notNull(),
  enabled: boolean('enabled').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});
