import {
  DEFAULT_ALERT_SEVERITY,
  DEFAULT_INGEST_RATE,
  DEFAULT_SEVERITY_MAPS,
  DEFAULT_WEBHOOK_MAPPING,
  IngestRateLimit,
  JsonPath,
  Name,
  WebhookMapping,
  type AlertSeverity,
  type CreateIntegrationBody,
  type IntegrationType,
  type IntegrationView,
  type UpdateIntegrationBody,
} from '@opsline/contracts';
import type { FormRules } from 'naive-ui';
import { schemaRule } from '../../../platform/forms/rules';
import { i18n } from '../../../platform/i18n';
import { firstRepeated, rowsRule } from '../../cmdb/shared/rows';

/** One entry of the severity mapping: what the source says → P0–P5. */
export interface SeverityRow {
  source: string;
  severity: AlertSeverity;
}

/** Where a generic webhook's fields are, as the form edits them (every path a field of its own). */
export const MAPPING_FIELDS = ['items', 'title', 'description', 'severity', 'status', 'dedupKey', 'labels', 'host', 'startsAt'] as const;
export type MappingField = (typeof MAPPING_FIELDS)[number];

/** An integration while editing: flat, so each input binds to a field of its own and the server's `body.webhookMapping.title` lands on `map.title`. */
export interface IntegrationModel {
  name: string;
  type: IntegrationType;
  enabled: boolean;
  defaultSeverity: AlertSeverity;
  severityRows: SeverityRow[];
  map: Record<MappingField, string>;
  resolvedValues: string[];
  ratePerSecond: number | null;
  rateBurst: number | null;
}

const MAX_SEVERITY_ENTRIES = 100;

/** The entries an integration adds over its type's defaults (a view holds them merged). */
export function ownEntries(type: IntegrationType, merged: Record<string, AlertSeverity>): SeverityRow[] {
  const defaults: Record<string, AlertSeverity> = DEFAULT_SEVERITY_MAPS[type];
  return Object.entries(merged)
    .filter(([source, severity]) => defaults[source] !== severity)
    .map(([source, severity]) => ({ source, severity }));
}

function mappingOf(m: WebhookMapping | null): Record<MappingField, string> {
  const source = m ?? DEFAULT_WEBHOOK_MAPPING;
  return Object.fromEntries(MAPPING_FIELDS.map((f) => [f, source[f] ?? ''])) as Record<MappingField, string>;
}

export function integrationModel(i: IntegrationView | null): IntegrationModel {
  const type = i?.type ?? 'alertmanager';
  return {
    name: i?.name ?? '',
    type,
    enabled: i?.enabled ?? true,
    defaultSeverity: i?.defaultSeverity ?? DEFAULT_ALERT_SEVERITY,
    severityRows: i ? ownEntries(type, i.severityMap) : [],
    map: mappingOf(i?.webhookMapping ?? null),
    resolvedValues: [...(i?.webhookMapping ?? DEFAULT_WEBHOOK_MAPPING).resolvedValues],
    ratePerSecond: i?.rateLimit.perSecond ?? DEFAULT_INGEST_RATE.perSecond,
    rateBurst: i?.rateLimit.burst ?? DEFAULT_INGEST_RATE.burst,
  };
}

/** The type's built-in mapping, as a line: `critical → P1, warning → P3`. */
export const defaultsText = (type: IntegrationType): string =>
  Object.entries(DEFAULT_SEVERITY_MAPS[type])
    .map(([source, severity]) => `${source} → ${severity}`)
    .join(i18n.global.t('alerts.integrations.listSeparator'));

function severityProblem(rows: readonly SeverityRow[]): string | null {
  const { t } = i18n.global;
  if (rows.length > MAX_SEVERITY_ENTRIES) return t('validation.maxItems', { max: MAX_SEVERITY_ENTRIES });
  if (rows.some((r) => !r.source.trim())) return t('alerts.integrations.severitySourceMissing');
  const repeated = firstRepeated(rows.map((r) => r.source.trim().toLowerCase()));
  return repeated === null ? null : t('alerts.integrations.severityRepeated', { source: repeated });
}

export function integrationRules(m: IntegrationModel): FormRules {
  const path = schemaRule(JsonPath, { formatKey: 'alerts.integrations.jsonPathFormat' });
  return {
    name: schemaRule(Name, { required: true }),
    severityRows: rowsRule<SeverityRow>(severityProblem),
    ...(m.type === 'webhook' && {
      map: Object.fromEntries(MAPPING_FIELDS.map((f) => [f, f === 'title' ? schemaRule(JsonPath, { required: true, formatKey: 'alerts.integrations.jsonPathFormat' }) : path])),
      resolvedValues: schemaRule(WebhookMapping.shape.resolvedValues),
    }),
    ratePerSecond: schemaRule(IngestRateLimit.shape.perSecond, { required: true }),
    rateBurst: schemaRule(IngestRateLimit.shape.burst, { required: true }),
  };
}

const FIELD_OF: Record<string, string> = { severityMap: 'severityRows', perSecond: 'ratePerSecond', burst: 'rateBurst', resolvedValues: 'resolvedValues' };

/** The form field of a server issue: `body.webhookMapping.title` → `map.title`, `body.rateLimit.burst` → `rateBurst`. */
export function integrationFieldOf(path: string): string {
  const [first = path, second] = path.split('.').slice(path.startsWith('body.') ? 1 : 0);
  if (first === 'webhookMapping' && second) return FIELD_OF[second] ?? `map.${second}`;
  if (first === 'rateLimit' && second) return FIELD_OF[second] ?? first;
  return FIELD_OF[first] ?? first;
}

const severityMap = (m: IntegrationModel): Record<string, AlertSeverity> => Object.fromEntries(m.severityRows.map((r) => [r.source.trim().toLowerCase(), r.severity]));

function webhookMapping(m: IntegrationModel): WebhookMapping {
  const paths: Partial<Record<MappingField, string>> = Object.fromEntries(MAPPING_FIELDS.map((f): [MappingField, string] => [f, m.map[f].trim()]).filter(([, v]) => v));
  return { ...paths, title: m.map.title.trim() || 'title', resolvedValues: m.resolvedValues.map((v) => v.trim()).filter(Boolean) };
}

const common = (m: IntegrationModel) => ({
  name: m.name.trim(),
  enabled: m.enabled,
  defaultSeverity: m.defaultSeverity,
  ...(m.type === 'webhook' && { webhookMapping: webhookMapping(m) }),
  rateLimit: { perSecond: m.ratePerSecond ?? DEFAULT_INGEST_RATE.perSecond, burst: m.rateBurst ?? DEFAULT_INGEST_RATE.burst },
});

export const createBody = (m: IntegrationModel): CreateIntegrationBody => ({
  ...common(m),
  type: m.type,
  ...(m.severityRows.length > 0 && { severityMap: severityMap(m) }),
});

/** The stored map is replaced whole, so an emptied one is sent empty. */
export const updateBody = (m: IntegrationModel): UpdateIntegrationBody => ({ ...common(m), severityMap: severityMap(m) });

/** `enabled` alone, for the list's switch. */
export const toggledBody = (enabled: boolean): UpdateIntegrationBody => ({ enabled });
