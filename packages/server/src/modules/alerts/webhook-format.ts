import { DEFAULT_WEBHOOK_MAPPING, type FieldIssue, type WebhookMapping } from '@opsline/contracts';
import { dateOf, descriptionOf, fingerprintOf, hostNamesOf, invalidBody, mapSeverity, titleOf, type IncomingAlert, type IngestIntegration } from './alert-normalize.js';
import { fieldName, pathSegments, valueAt } from './json-path.js';

/** Alerts one request may carry (Alertmanager's batches are far smaller). */
const MAX_ITEMS = 10_000;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const scalar = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);
const stringsOf = (o: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, scalar(v) ?? (v === null ? '' : JSON.stringify(v))]));

/** Where a generic webhook keeps its alerts: at `items`, or the body itself (one object, or an array). */
function itemsOf(body: unknown, m: WebhookMapping): { value: unknown; at: (string | number)[] }[] {
  const at = m.items ? pathSegments(m.items) : [];
  const list = m.items ? valueAt(body, at) : body;
  if (m.items && !Array.isArray(list)) throw invalidBody([{ field: fieldName(at), message: 'expected an array of alerts' }]);
  if (!Array.isArray(list) && !isObject(list)) throw invalidBody([{ field: 'body', message: 'expected a JSON object or array' }]);
  if (!Array.isArray(list)) return [{ value: list, at }];
  if (list.length > MAX_ITEMS) throw invalidBody([{ field: fieldName(at), message: `at most ${MAX_ITEMS} alerts per request` }]);
  return (list as unknown[]).map((value, n) => ({ value, at: [...at, n] }));
}

/** A generic JSON webhook, read through the integration's field mapping; every bad item is named. */
export function fromWebhook(body: unknown, i: IngestIntegration): IncomingAlert[] {
  const m = i.webhookMapping ?? DEFAULT_WEBHOOK_MAPPING;
  const issues: FieldIssue[] = [];
  const out: IncomingAlert[] = [];
  for (const item of itemsOf(body, m)) {
    const get = (path: string | undefined): unknown => (path === undefined ? undefined : valueAt(item.value, pathSegments(path)));
    const where = (path: string): string => fieldName([...item.at, ...pathSegments(path)]);
    const title = scalar(get(m.title))?.trim();
    if (!title) {
      issues.push({ field: where(m.title), message: 'required: the alert title (a string)' });
      continue;
    }
    const rawLabels = get(m.labels);
    if (m.labels && rawLabels !== undefined && !isObject(rawLabels)) {
      issues.push({ field: where(m.labels), message: 'expected an object of label names to values' });
      continue;
    }
    const labels = isObject(rawLabels) ? stringsOf(rawLabels) : {};
    const host = scalar(get(m.host))?.trim();
    if (host && labels.host === undefined) labels.host = host;
    const status = scalar(get(m.status))?.trim().toLowerCase();
    const resolved = status !== undefined && m.resolvedValues.some((r) => r.toLowerCase() === status);
    const dedupKey = scalar(get(m.dedupKey));
    const startsAt = get(m.startsAt);
    out.push({
      fingerprint: fingerprintOf(i.id, dedupKey ? { key: dedupKey } : { labels, title }),
      status: resolved ? 'resolved' : 'firing',
      severity: mapSeverity(i, scalar(get(m.severity))),
      title: titleOf(title),
      description: descriptionOf(scalar(get(m.description))),
      labels,
      annotations: {},
      startsAt: typeof startsAt === 'string' || typeof startsAt === 'number' ? dateOf(startsAt) : null,
      endsAt: null,
      hostNames: hostNamesOf(labels),
      nodeRef: labels.node ?? null,
    });
  }
  if (issues.length) throw invalidBody(issues);
  return out;
}
