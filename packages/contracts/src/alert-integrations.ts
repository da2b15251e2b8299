import { z } from 'zod';
import { IsoDate, Name, PageQuery } from './common.js';

/**
 * Alert integrations (告警接入): where alerts come from. Each has a secret key
 * that authenticates its ingest URL (`/api/v1/integrations/<key>/<type>`),
 * shown once on create and on rotation and stored only hashed.
 */
export const ALERT_SEVERITIES = ['P0', 'P1', 'P2', 'P3', 'P4', 'P5'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
export const INTEGRATION_TYPES = ['alertmanager', 'zabbix', 'webhook'] as const;
export type IntegrationType = (typeof INTEGRATION_TYPES)[number];

/**
 * Source severity (compared lower-case) → P0–P5, per type. A value that
 * already is P0–P5 maps to itself unless the map says otherwise; anything
 * unmapped gets the integration's default severity.
 */
export const DEFAULT_SEVERITY_MAPS: Record<IntegrationType, Record<string, AlertSeverity>> = {
  alertmanager: { critical: 'P1', warning: 'P3', info: 'P5' },
  // Names as Zabbix shows them, and {EVENT.NSEVERITY} numbers for servers that renamed their severities.
  zabbix: {
    disaster: 'P0', high: 'P1', average: 'P2', warning: 'P3', information: 'P4', 'not classified': 'P5',
    '5': 'P0', '4': 'P1', '3': 'P2', '2': 'P3', '1': 'P4', '0': 'P5',
  },
  webhook: { critical: 'P1', error: 'P2', warning: 'P3', info: 'P5' },
};
export const DEFAULT_ALERT_SEVERITY: AlertSeverity = 'P3';

/** `a.b[0].c`, `a.b.0.c`, or with a leading `$.`: where a field sits in a generic webhook's JSON. */
export const JsonPath = z
  .string()
  .trim()
  .max(256)
  .regex(/^(?:\$\.)?[^.[\]\s]+(?:\.[^.[\]\s]+|\[\d+\])*$/, 'a JSON path such as data.alert.title or $.alerts[0].name');

/** How a generic webhook's JSON becomes alerts. */
export const WebhookMapping = z.strictObject({
  /** Where the list of alerts is; without it the body is one alert (or a JSON array of them). */
  items: JsonPath.optional(),
  title: JsonPath.default('title'),
  description: JsonPath.optional(),
  severity: JsonPath.optional(),
  status: JsonPath.optional(),
  /** Status values (any case) that mean the alert is over; anything else is firing. */
  resolvedValues: z.array(z.string().trim().min(1).max(64)).max(20).default(['resolved', 'ok']),
  /** What identifies one alert across deliveries; without it, its labels and title do. */
  dedupKey: JsonPath.optional(),
  /** An object of name → value. */
  labels: JsonPath.optional(),
  host: JsonPath.optional(),
  startsAt: JsonPath.optional(),
});
export type WebhookMapping = z.infer<typeof WebhookMapping>;
export const DEFAULT_WEBHOOK_MAPPING: WebhookMapping = {
  title: 'title', description: 'description', severity: 'severity', status: 'status', resolvedValues: ['resolved', 'ok'],
  dedupKey: 'dedupKey', labels: 'labels', host: 'host',
};

export const SeverityMap = z
  .record(z.string().trim().min(1).max(64), z.enum(ALERT_SEVERITIES))
  .refine((m) => Object.keys(m).length <= 100, 'at most 100 entries');

/** Requests per second and burst an integration's key may post; more get 503 with Retry-After. */
export const IngestRateLimit = z.strictObject({
  perSecond: z.number().min(0.1).max(100_000),
  burst: z.number().int().min(1).max(1_000_000),
});
export type IngestRateLimit = z.infer<typeof IngestRateLimit>;
export const DEFAULT_INGEST_RATE: IngestRateLimit = { perSecond: 50, burst: 200 };

const IntegrationFields = {
  enabled: z.boolean(),
  /** Entries added to (or overriding) the type's defaults. */
  severityMap: SeverityMap,
  defaultSeverity: z.enum(ALERT_SEVERITIES),
  /** `webhook` integrations only. */
  webhookMapping: WebhookMapping,
  rateLimit: IngestRateLimit,
};

export const CreateIntegrationBody = z
  .strictObject({
    name: Name,
    type: z.enum(INTEGRATION_TYPES),
    enabled: IntegrationFields.enabled.default(true),
    severityMap: IntegrationFields.severityMap.optional(),
    defaultSeverity: IntegrationFields.defaultSeverity.optional(),
    webhookMapping: IntegrationFields.webhookMapping.optional(),
    rateLimit: IntegrationFields.rateLimit.optional(),
  })
  .refine((b) => b.type === 'webhook' || b.webhookMapping === undefined, { path: ['webhookMapping'], message: 'only for type webhook' });
export type CreateIntegrationBody = z.infer<typeof CreateIntegrationBody>;

/** Fields left out keep their value; the type never changes. */
export const UpdateIntegrationBody = z.strictObject({
  name: Name.optional(),
  enabled: IntegrationFields.enabled.optional(),
  /** Replaces the stored map (the type's defaults still apply underneath). */
  severityMap: IntegrationFields.severityMap.optional(),
  defaultSeverity: IntegrationFields.defaultSeverity.optional(),
  webhookMapping: IntegrationFields.webhookMapping.optional(),
  rateLimit: IntegrationFields.rateLimit.optional(),
});
export type UpdateIntegrationBody = z.infer<typeof UpdateIntegrationBody>;

export const IntegrationQuery = PageQuery.extend({ type: z.enum(INTEGRATION_TYPES).optional() });
export type IntegrationQuery = z.infer<typeof IntegrationQuery>;

export const IntegrationView = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(INTEGRATION_TYPES),
  /** The key's first 6 characters, to tell keys apart. */
  keyPrefix: z.string(),
  enabled: z.boolean(),
  /** The type's defaults with this integration's entries over them. */
  severityMap: z.record(z.string(), z.enum(ALERT_SEVERITIES)),
  defaultSeverity: z.enum(ALERT_SEVERITIES),
  webhookMapping: WebhookMapping.nullable(),
  rateLimit: IngestRateLimit,
  /** Where to post, with `{key}` standing for the key. */
  ingestPath: z.string(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
  keyRotatedAt: IsoDate,
});
export type IntegrationView = z.infer<typeof IntegrationView>;
/** The view with the key itself: answered once, on create and on rotation. */
export const IntegrationWithKey = IntegrationView.extend({ key: z.string() });
export type IntegrationWithKey = z.infer<typeof IntegrationWithKey>;

/** A payload an integration's URL refused (bad JSON, a missing field), kept to debug the sender. */
export const RejectedPayloadView = z.object({
  id: z.string(),
  integrationId: z.string(),
  reason: z.string(),
  /** The body as received, cut to 256 KiB. */
  body: z.string(),
  truncated: z.boolean(),
  bytes: z.number().int(),
  receivedAt: IsoDate,
});
export type RejectedPayloadView = z.infer<typeof RejectedPayloadView>;
