import { z } from 'zod';
import { Id, IsoDate, PageQuery } from './common.js';
import { ALERT_SEVERITIES, INTEGRATION_TYPES } from './alert-integrations.js';

/**
 * Alerts (告警) as Opsline keeps them: one row per occurrence of a
 * fingerprint. Repeats of a firing alert count up on its row; a resolve
 * closes it; a later firing opens a new occurrence.
 */
export const ALERT_STATUSES = ['firing', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const AlertView = z.object({
  id: z.string(),
  fingerprint: z.string(),
  status: z.enum(ALERT_STATUSES),
  severity: z.enum(ALERT_SEVERITIES),
  title: z.string(),
  description: z.string(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  /** `<integration type>:<integration name>` as it was when the alert arrived. */
  source: z.string(),
  integrationId: z.string().nullable(),
  /** The CMDB host its `host`/`instance`/`hostname` label named. */
  hostId: z.string().nullable(),
  /** From the `node` label (a tree path or id), else the host's node. */
  nodeId: z.string().nullable(),
  startsAt: IsoDate.nullable(),
  endsAt: IsoDate.nullable(),
  /** Deliveries of this occurrence while it fired (the first included). */
  count: z.number().int(),
  firstSeenAt: IsoDate,
  lastSeenAt: IsoDate,
  resolvedAt: IsoDate.nullable(),
  /** The silence that matched it when it last arrived: stored and shown, but nobody is paged. */
  silencedBy: z.string().nullable(),
  /** The firing alert that inhibited it when it arrived (an inhibition rule): stored, nobody paged. */
  inhibitedBy: z.string().nullable(),
  ackedBy: z.string().nullable(),
  ackedAt: IsoDate.nullable(),
});
export type AlertView = z.infer<typeof AlertView>;
/** An alert with the last payload that carried it, as the sender posted it. */
export const AlertDetail = AlertView.extend({ payload: z.unknown() });
export type AlertDetail = z.infer<typeof AlertDetail>;

export const AlertQuery = PageQuery.extend({
  status: z.enum(ALERT_STATUSES).optional(),
  severity: z.enum(ALERT_SEVERITIES).optional(),
  integrationId: Id.optional(),
  /** Alerts on this node or below it. */
  nodeId: Id.optional(),
  hostId: Id.optional(),
  /** Text in the title or the labels. */
  q: z.string().trim().min(1).max(200).optional(),
});
export type AlertQuery = z.infer<typeof AlertQuery>;

export const AckAlertsBody = z.strictObject({ ids: z.array(Id).min(1).max(500) });
export type AckAlertsBody = z.infer<typeof AckAlertsBody>;
export const AckAlertsResult = z.object({ acked: z.number().int() });

/** What an ingest URL answers once the alerts are committed. */
export const IngestResult = z.object({
  accepted: z.number().int(),
  fired: z.number().int(),
  repeated: z.number().int(),
  resolved: z.number().int(),
  /** Resolves of alerts that were not firing here (already resolved, or never seen). */
  ignored: z.number().int(),
});
export type IngestResult = z.infer<typeof IngestResult>;
export const IngestParams = z.strictObject({ key: z.string().max(256) });
export const INGEST_FORMATS = INTEGRATION_TYPES;

// ---------------------------------------------------------------- silences

/** Like Alertmanager's: `isEqual: false` negates; a regex must match the whole value; a missing label is "". */
export const LabelMatcher = z
  .strictObject({
    name: z.string().trim().min(1).max(128),
    value: z.string().max(1024),
    isRegex: z.boolean().default(false),
    isEqual: z.boolean().default(true),
  })
  .refine((m) => !m.isRegex || compiles(m.value), { path: ['value'], message: 'not a valid regular expression' });
export type LabelMatcher = z.infer<typeof LabelMatcher>;

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

function knownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00 to 23:59');
/**
 * A weekly maintenance window: on these days (0 = Sunday) from `start` to
 * `end` in the time zone; an `end` before `start` runs past midnight.
 */
export const SilenceRecurrence = z
  .strictObject({
    days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
    start: TimeOfDay,
    end: TimeOfDay,
    timeZone: z.string().min(1).max(64).refine(knownTimeZone, 'an IANA time zone such as Asia/Shanghai'),
  })
  .refine((r) => r.start !== r.end, { path: ['end'], message: 'must differ from start' });
export type SilenceRecurrence = z.infer<typeof SilenceRecurrence>;

export const SilenceBody = z
  .strictObject({
    matchers: z.array(LabelMatcher).min(1).max(20),
    /** Default: now. */
    startsAt: IsoDate.optional(),
    endsAt: IsoDate,
    recurrence: SilenceRecurrence.optional(),
    comment: z.string().trim().min(1).max(2000),
  })
  .refine((s) => s.startsAt === undefined || Date.parse(s.endsAt) > Date.parse(s.startsAt), { path: ['endsAt'], message: 'must be after startsAt' });
export type SilenceBody = z.infer<typeof SilenceBody>;

export const SILENCE_STATES = ['pending', 'active', 'expired'] as const;
export const SilenceQuery = PageQuery.extend({ state: z.enum(SILENCE_STATES).optional() });
export type SilenceQuery = z.infer<typeof SilenceQuery>;

export const SilenceView = z.object({
  id: z.string(),
  matchers: z.array(z.object({ name: z.string(), value: z.string(), isRegex: z.boolean(), isEqual: z.boolean() })),
  startsAt: IsoDate,
  endsAt: IsoDate,
  recurrence: SilenceRecurrence.nullable(),
  comment: z.string(),
  createdBy: z.string(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
  /** Between startsAt and endsAt or not. */
  state: z.enum(SILENCE_STATES),
  /** Whether it silences matching alerts right now (active, and inside its weekly window if it has one). */
  silencingNow: z.boolean(),
});
export type SilenceView = z.infer<typeof SilenceView>;

// ---------------------------------------------------------------- what senders post

const Labels = z.record(z.string().max(1024), z.string().max(65_536));

/** Alertmanager's webhook (version 4). Unknown fields are let through: a newer Alertmanager may add some. */
export const AlertmanagerWebhook = z.object({
  version: z.string().optional(),
  groupKey: z.string().optional(),
  status: z.enum(ALERT_STATUSES).optional(),
  receiver: z.string().optional(),
  groupLabels: Labels.optional(),
  commonLabels: Labels.optional(),
  commonAnnotations: Labels.optional(),
  externalURL: z.string().optional(),
  truncatedAlerts: z.number().optional(),
  alerts: z.array(
    z.object({
      status: z.enum(ALERT_STATUSES),
      labels: Labels,
      annotations: Labels.default({}),
      startsAt: IsoDate.optional(),
      endsAt: IsoDate.optional(),
      generatorURL: z.string().optional(),
      fingerprint: z.string().min(1).max(128).optional(),
    }),
  ).max(10_000),
});
export type AlertmanagerWebhook = z.infer<typeof AlertmanagerWebhook>;

const Scalar = z.union([z.string(), z.number()]).transform(String);
/** What docs/integrations/zabbix-media-type.js posts for each Zabbix problem, update and recovery. */
export const ZabbixPayload = z.object({
  /** The problem's {EVENT.ID} (a recovery carries its problem's id). */
  eventId: Scalar.pipe(z.string().min(1).max(64)),
  status: z.enum(['problem', 'update', 'resolved']),
  name: z.string().min(1).max(2048),
  /** {EVENT.NSEVERITY} (0–5) and {EVENT.SEVERITY} (its name). */
  severity: Scalar.pipe(z.string().max(64)).optional(),
  severityName: z.string().max(64).optional(),
  host: z.string().max(255).optional(),
  hostName: z.string().max(255).optional(),
  hostIp: z.string().max(255).optional(),
  triggerId: Scalar.pipe(z.string().max(64)).optional(),
  startsAt: IsoDate.optional(),
  endsAt: IsoDate.optional(),
  tags: z.array(z.object({ tag: z.string().min(1).max(1024), value: z.string().max(65_536).default('') })).max(500).default([]),
  message: z.string().max(65_536).optional(),
  opdata: z.string().max(65_536).optional(),
  url: z.string().max(2048).optional(),
});
export type ZabbixPayload = z.infer<typeof ZabbixPayload>;

/**
 * Inhibition (抑制): while an alert matching `source` fires, a new alert
 * matching `target` on the same host (`scope: host`) or tree node (`scope:
 * node`), with the same values of the `equal` labels, is stored inhibited and
 * pages nobody. A dependency — a host down silences its services — is a rule
 * with source `alertname=HostDown`, no target matchers and scope `host`.
 */
export const INHIBIT_SCOPES = ['host', 'node'] as const;
export type InhibitScope = (typeof INHIBIT_SCOPES)[number];
export const InhibitRuleBody = z.strictObject({
  name: z.string().trim().min(1).max(128),
  source: z.array(LabelMatcher).min(1).max(20),
  /** Empty: every other alert in the scope. */
  target: z.array(LabelMatcher).max(20).default([]),
  scope: z.enum(INHIBIT_SCOPES),
  equal: z.array(z.string().trim().min(1).max(128)).max(10).default([]),
  enabled: z.boolean().default(true),
});
export type InhibitRuleBody = z.input<typeof InhibitRuleBody>;
export const InhibitRuleView = z.object({
  id: z.string(),
  name: z.string(),
  source: z.array(LabelMatcher),
  target: z.array(LabelMatcher),
  scope: z.enum(INHIBIT_SCOPES),
  equal: z.array(z.string()),
  enabled: z.boolean(),
  createdBy: z.string(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type InhibitRuleView = z.infer<typeof InhibitRuleView>;
