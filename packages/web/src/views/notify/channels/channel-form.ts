import { CHANNEL_RATE_DEFAULTS, CHANNEL_SECRET_FIELDS, ChannelBody, ChannelUpdateBody, type ChannelType, type ChannelView } from '@opsline/contracts';
import { labelRecord, labelRows, type KeyValueRow } from '../../cmdb/shared/labels';

/**
 * A channel while editing: one flat model for every type (each type's form
 * shows its own fields), so each input binds to a field of its own and the
 * server's `body.config.url` lands on `url`.
 */
export interface ChannelModel {
  name: string;
  type: ChannelType;
  enabled: boolean;
  /** Empty: the type's default (CHANNEL_RATE_DEFAULTS). */
  ratePerMinute: number | null;
  title: string;
  text: string;
  url: string;
  secret: string;
  headers: KeyValueRow[];
  /** Mail addresses (email) or phone numbers (sms). */
  to: string[];
  atMobiles: string[];
  atAll: boolean;
  mentionedMobiles: string[];
  routingKey: string;
  kind: 'sms' | 'voice';
  method: 'POST' | 'PUT';
  contentType: 'application/json' | 'application/x-www-form-urlencoded';
  body: string;
}

export type ConfigField = 'url' | 'secret' | 'headers' | 'to' | 'atMobiles' | 'atAll' | 'mentionedMobiles' | 'routingKey' | 'kind' | 'method' | 'contentType' | 'body';

/** The config fields of each type, in form order (as the contract's channel configs have them). */
export const CONFIG_FIELDS: Record<ChannelType, readonly ConfigField[]> = {
  email: ['to'],
  webhook: ['url', 'headers'],
  dingtalk: ['url', 'secret', 'atMobiles', 'atAll'],
  feishu: ['url', 'secret'],
  wecom: ['url', 'mentionedMobiles'],
  slack: ['url'],
  pagerduty: ['routingKey', 'url'],
  sms: ['kind', 'url', 'method', 'contentType', 'headers', 'body', 'to'],
};

export const isSecretField = (type: ChannelType, field: string): boolean => CHANNEL_SECRET_FIELDS[type].includes(field);

const str = (config: Record<string, unknown>, key: string): string => {
  const v = config[key];
  return typeof v === 'string' ? v : '';
};
const strs = (config: Record<string, unknown>, key: string): string[] => {
  const v = config[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};

/** A channel's form, filled from what the server answers (its secrets are never among it). */
export function channelModel(c: ChannelView | null, type: ChannelType = 'webhook'): ChannelModel {
  const cfg = c?.config ?? {};
  const t = c?.type ?? type;
  return {
    name: c?.name ?? '',
    type: t,
    enabled: c?.enabled ?? true,
    ratePerMinute: c && c.ratePerMinute !== CHANNEL_RATE_DEFAULTS[t] ? c.ratePerMinute : null,
    title: c?.template?.title ?? '',
    text: c?.template?.text ?? '',
    url: str(cfg, 'url'),
    secret: '',
    headers: labelRows((cfg.headers ?? undefined) as Record<string, string> | undefined),
    to: strs(cfg, 'to'),
    atMobiles: strs(cfg, 'atMobiles'),
    atAll: cfg.atAll === true,
    mentionedMobiles: strs(cfg, 'mentionedMobiles'),
    routingKey: '',
    kind: cfg.kind === 'voice' ? 'voice' : 'sms',
    method: cfg.method === 'PUT' ? 'PUT' : 'POST',
    contentType: cfg.contentType === 'application/x-www-form-urlencoded' ? 'application/x-www-form-urlencoded' : 'application/json',
    body: str(cfg, 'body'),
  };
}

const trimmed = (s: string): string | undefined => (s.trim() ? s.trim() : undefined);
const nonEmpty = (a: string[]): string[] | undefined => (a.length ? a : undefined);

function configValue(m: ChannelModel, field: ConfigField): unknown {
  switch (field) {
    case 'url':
    case 'secret':
    case 'routingKey':
      return trimmed(m[field]);
    case 'body':
      return m.body.trim() ? m.body : undefined;
    case 'headers': {
      const record = labelRecord(m.headers);
      return Object.keys(record).length ? record : undefined;
    }
    case 'to':
    case 'atMobiles':
    case 'mentionedMobiles':
      return nonEmpty(m[field]);
    case 'atAll':
      return m.atAll || undefined;
    case 'kind':
    case 'method':
    case 'contentType':
      return m[field];
  }
}

/** The body as the API takes it, before the contract checks it; empty fields are left out (a secret left out is kept). */
export function channelDraft(m: ChannelModel): Record<string, unknown> {
  const config = Object.fromEntries(CONFIG_FIELDS[m.type].map((f): [string, unknown] => [f, configValue(m, f)]).filter(([, v]) => v !== undefined));
  const template = { title: trimmed(m.title), text: trimmed(m.text) };
  return {
    name: m.name.trim(),
    type: m.type,
    enabled: m.enabled,
    ...(m.ratePerMinute !== null && { ratePerMinute: m.ratePerMinute }),
    ...((template.title ?? template.text) !== undefined && { template }),
    config,
  };
}

/** The first problem the contract finds (the form's rules show each on its field first). */
const firstProblem = (issues: readonly { path: PropertyKey[]; message: string }[]): Error =>
  new Error(issues.map((i) => `${i.path.join('.')}: ${i.message}`)[0] ?? 'invalid');

export function createBody(m: ChannelModel): ChannelBody {
  const parsed = ChannelBody.safeParse(channelDraft(m));
  if (!parsed.success) throw firstProblem(parsed.error.issues);
  return parsed.data;
}

export function updateBody(m: ChannelModel): ChannelUpdateBody {
  const parsed = ChannelUpdateBody.safeParse(channelDraft(m));
  if (!parsed.success) throw firstProblem(parsed.error.issues);
  return parsed.data;
}

/** A saved channel again with `enabled` changed: its secrets are left out, so the server keeps them. */
export const toggledBody = (c: ChannelView, enabled: boolean): ChannelUpdateBody => updateBody({ ...channelModel(c), enabled });
