import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { ALERT_SEVERITIES, type AlertSeverity, type AlertStatus, type FieldIssue, type IngestRateLimit, type IntegrationType, type WebhookMapping } from '@opsline/contracts';
import { AppError } from '../../platform/errors/app-error.js';

/** An integration as ingest uses it: its severity map merged over the type's defaults, keys lower-case. */
export interface IngestIntegration {
  id: string;
  name: string;
  type: IntegrationType;
  enabled: boolean;
  severityMap: Record<string, AlertSeverity>;
  defaultSeverity: AlertSeverity;
  webhookMapping: WebhookMapping | null;
  rateLimit: IngestRateLimit;
}

/** One alert as a sender reported it, in Opsline's terms, before the CMDB and silences are consulted. */
export interface IncomingAlert {
  fingerprint: string;
  status: AlertStatus;
  severity: AlertSeverity;
  title: string;
  description: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: Date | null;
  endsAt: Date | null;
  /** Hostnames or addresses to look up in the CMDB, best first. */
  hostNames: string[];
  /** The `node` label: a tree path or a node id. */
  nodeRef: string | null;
}

const TITLE_MAX = 1000;
const DESCRIPTION_MAX = 20_000;
const clip = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
export const titleOf = (s: string): string => clip(s.trim() || 'alert', TITLE_MAX);
export const descriptionOf = (s: string | undefined): string => clip(s ?? '', DESCRIPTION_MAX);

/** The first value the map knows (any case), a value that is P0–P5 itself, else the default. */
export function mapSeverity(i: IngestIntegration, ...values: (string | undefined)[]): AlertSeverity {
  for (const v of values) {
    const key = v?.trim();
    if (!key) continue;
    const mapped = i.severityMap[key.toLowerCase()];
    if (mapped) return mapped;
    const upper = key.toUpperCase();
    if ((ALERT_SEVERITIES as readonly string[]).includes(upper)) return upper as AlertSeverity;
  }
  return i.defaultSeverity;
}

/** Stable across deliveries: the integration plus the sender's dedup key, or plus the sorted labels (and title). */
export function fingerprintOf(integrationId: string, basis: { key: string } | { labels: Record<string, string>; title?: string }): string {
  const what = 'key' in basis
    ? `key\n${basis.key}`
    : `labels\n${JSON.stringify(Object.keys(basis.labels).sort().map((k) => [k, basis.labels[k]]))}\n${basis.title ?? ''}`;
  return createHash('sha256').update(`${integrationId}\n${what}`).digest('hex').slice(0, 32);
}

/** `10.0.0.5:9100`, `[::1]:9100`, `http://web-1:8080/metrics` → the host part. */
export function stripPort(value: string): string {
  const v = value.trim();
  if (v.includes('://')) {
    try {
      return new URL(v).hostname.replace(/^\[|\]$/g, '');
    } catch {
      return v;
    }
  }
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed?.[1]) return bracketed[1];
  const hostPort = /^([^:]+):\d+$/.exec(v);
  return hostPort?.[1] ?? v;
}

/** The CMDB names an alert's labels give: `host`, `instance` without its port, `hostname`. */
export function hostNamesOf(labels: Record<string, string>, ...more: (string | undefined)[]): string[] {
  const names = [labels.host, labels.instance === undefined ? undefined : stripPort(labels.instance), labels.hostname, ...more];
  return [...new Set(names.map((n) => n?.trim().toLowerCase()).filter((n): n is string => Boolean(n)))];
}

/** A time a sender gave; Go's zero time (`0001-01-01…`, what Alertmanager sends for "not yet") is none. */
export function dateOf(value: string | number | undefined | null): Date | null {
  if (value === undefined || value === null || value === '') return null;
  const d = typeof value === 'number' ? new Date(value < 1e12 ? value * 1000 : value) : new Date(value);
  const t = d.getTime();
  return Number.isNaN(t) || d.getUTCFullYear() < 1971 ? null : d;
}

/** Field issues named as the request body's paths: `body.alerts.0.labels`. */
export function bodyIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ field: ['body', ...i.path.map(String)].join('.'), message: i.message }));
}

export function invalidBody(issues: FieldIssue[]): AppError {
  return new AppError('VALIDATION_FAILED', issues.map((i) => `${i.field}: ${i.message}`).join('; ').slice(0, 2000), { issues: issues.slice(0, 50) });
}

/** Parses with the schema or throws a 400 naming each bad field. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body);
  if (!r.success) throw invalidBody(bodyIssues(r.error));
  return r.data;
}
