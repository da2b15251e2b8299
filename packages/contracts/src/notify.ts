import { z } from 'zod';
import { Id, IsoDate, PageQuery } from './common.js';

/**
 * Notification channels: where incidents, alerts and job alerts go. Each type
 * has its own `config`; the secret parts of it (robot URLs carry their access
 * token, signing secrets, header values, routing keys) are sealed at rest and
 * never answered back — a view names which are set in `secretsSet`.
 */
export const CHANNEL_TYPES = ['email', 'webhook', 'dingtalk', 'feishu', 'wecom', 'slack', 'pagerduty', 'sms'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/**
 * Messages a channel sends in a minute before the rest wait and go out as one
 * summary (robots allow about 20 a minute). None is dropped.
 */
export const CHANNEL_RATE_DEFAULTS: Record<ChannelType, number> = {
  email: 60, webhook: 120, dingtalk: 20, feishu: 20, wecom: 20, slack: 60, pagerduty: 120, sms: 10,
};

/** Config fields that are secret, by type: sealed at rest, omitted from views, kept when an update leaves them out. */
export const CHANNEL_SECRET_FIELDS: Record<ChannelType, readonly string[]> = {
  email: [], webhook: ['headers'], dingtalk: ['url', 'secret'], feishu: ['url', 'secret'], wecom: ['url'], slack: ['url'], pagerduty: ['routingKey'], sms: ['headers'],
};

const HttpUrl = z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).max(2048);
const HeaderName = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'a header name');
const Headers = z.record(HeaderName, z.string().max(4096));
const Mobiles = z.array(z.string().regex(/^\+?[0-9-]{5,20}$/, 'a phone number')).max(50);

/** `secretOptional`: an update may leave a secret out to keep the stored one. */
const channelConfigs = (secretOptional: boolean) => {
  const secret = <T extends z.ZodType>(t: T) => (secretOptional ? t.optional() : t);
  return {
    email: z.strictObject({ to: z.array(z.email()).min(1).max(50) }),
    webhook: z.strictObject({ url: HttpUrl, headers: Headers.optional() }),
    /** A DingTalk custom robot: its webhook URL (with access_token) and, when 加签 is on, its SEC… secret. */
    dingtalk: z.strictObject({ url: secret(HttpUrl), secret: z.string().min(1).max(256).optional(), atMobiles: Mobiles.optional(), atAll: z.boolean().optional() }),
    /** A Feishu/Lark custom bot: its webhook URL and, when signature verification is on, its secret. */
    feishu: z.strictObject({ url: secret(HttpUrl), secret: z.string().min(1).max(256).optional() }),
    /** A WeCom group robot: its webhook URL (with key). */
    wecom: z.strictObject({ url: secret(HttpUrl), mentionedMobiles: Mobiles.optional() }),
    /** A Slack incoming webhook URL. */
    slack: z.strictObject({ url: secret(HttpUrl) }),
    /** PagerDuty Events API v2: the integration's routing key; `url` only to point elsewhere (a proxy). */
    pagerduty: z.strictObject({ routingKey: secret(z.string().min(1).max(128)), url: HttpUrl.optional() }),
    /**
     * Any SMS or voice gateway over HTTP: the request is built from `body`, a
     * template with {{variables}} (see MESSAGE_VARIABLES, plus {{to}}), once per number in `to`.
     */
    sms: z.strictObject({
      kind: z.enum(['sms', 'voice']).default('sms'),
      url: HttpUrl,
      method: z.enum(['POST', 'PUT']).default('POST'),
      contentType: z.enum(['application/json', 'application/x-www-form-urlencoded']).default('application/json'),
      headers: Headers.optional(),
      body: z.string().min(1).max(4000),
      to: Mobiles.min(1),
    }),
  } satisfies Record<ChannelType, z.ZodType>;
};

/** Variables a message template (and an SMS body) may use as {{name}}. */
export const MESSAGE_VARIABLES = ['title', 'text', 'severity', 'source', 'link', 'ackLink', 'resolveLink', 'at'] as const;
export const MessageTemplate = z.strictObject({
  title: z.string().max(500).optional(),
  text: z.string().max(4000).optional(),
});
export type MessageTemplate = z.infer<typeof MessageTemplate>;

const channelFields = {
  name: z.string().trim().min(1).max(128),
  enabled: z.boolean().default(true),
  /** Messages a minute before the rest are summarised; the type's default (CHANNEL_RATE_DEFAULTS) when absent. */
  ratePerMinute: z.number().int().min(1).max(6000).optional(),
  template: MessageTemplate.optional(),
};
const channelBody = (secretOptional: boolean) => {
  const c = channelConfigs(secretOptional);
  return z.discriminatedUnion('type', [
    z.strictObject({ ...channelFields, type: z.literal('email'), config: c.email }),
    z.strictObject({ ...channelFields, type: z.literal('webhook'), config: c.webhook }),
    z.strictObject({ ...channelFields, type: z.literal('dingtalk'), config: c.dingtalk }),
    z.strictObject({ ...channelFields, type: z.literal('feishu'), config: c.feishu }),
    z.strictObject({ ...channelFields, type: z.literal('wecom'), config: c.wecom }),
    z.strictObject({ ...channelFields, type: z.literal('slack'), config: c.slack }),
    z.strictObject({ ...channelFields, type: z.literal('pagerduty'), config: c.pagerduty }),
    z.strictObject({ ...channelFields, type: z.literal('sms'), config: c.sms }),
  ]);
};
/** `POST /api/v1/channels`: `{name, type, config}`. */
export const ChannelBody = channelBody(false);
export type ChannelBody = z.infer<typeof ChannelBody>;
/** `PUT /api/v1/channels/:id`: the same, but a secret left out keeps the stored one. The type may not change. */
export const ChannelUpdateBody = channelBody(true);
export type ChannelUpdateBody = z.infer<typeof ChannelUpdateBody>;

export const ChannelView = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(CHANNEL_TYPES),
  enabled: z.boolean(),
  /** The config without its secrets. */
  config: z.record(z.string(), z.unknown()),
  /** Which secret fields are set (their values are never answered). */
  secretsSet: z.array(z.string()),
  /** Where it sends, for lists: a host name or the mail addresses; never a secret. */
  target: z.string(),
  ratePerMinute: z.number().int(),
  template: MessageTemplate.nullable(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type ChannelView = z.infer<typeof ChannelView>;
/** A channel as anyone signed in may see it, to pick for their own notification rules: no config. */
export const ChannelChoice = z.object({ id: z.string(), name: z.string(), type: z.enum(CHANNEL_TYPES), enabled: z.boolean() });
export type ChannelChoice = z.infer<typeof ChannelChoice>;
export const ChannelChoiceQuery = z.strictObject({
  q: z.string().trim().max(128).optional(),
  /** Comma-separated ids: look these up by id instead (names of channels already chosen). */
  ids: z.string().max(4000).transform((v) => v.split(',').filter(Boolean)).pipe(z.array(z.uuid()).max(100)).optional(),
});

export const ChannelQuery = PageQuery.extend({ type: z.enum(CHANNEL_TYPES).optional(), q: z.string().trim().max(128).optional() });
export type ChannelQuery = z.infer<typeof ChannelQuery>;

/**
 * Outbound hosts notifications may reach. Cloud metadata addresses are never
 * reached, whatever the lists say; with `allow` non-empty only those hosts are;
 * `deny` wins over `allow`. Entries: a host name, `*.example.com`, an IP or a CIDR.
 */
export const OutboundPolicy = z.strictObject({
  allow: z.array(z.string().trim().min(1).max(253)).max(200),
  deny: z.array(z.string().trim().min(1).max(253)).max(200),
});
export type OutboundPolicy = z.infer<typeof OutboundPolicy>;

/** What a channel is sent. */
export interface NotifyMessage {
  title: string;
  text: string;
  severity: 'info' | 'warning' | 'critical';
  /** A console path to open (`/jobs/runs/…`); made absolute with OPSLINE_PUBLIC_URL. */
  link?: string;
  /** Console paths that acknowledge / resolve what the message is about (on-call). */
  ackLink?: string;
  resolveLink?: string;
  /** What sent it (`job-alert:<rule id>`), kept with the delivery. */
  source: string;
  /** Same key, same problem: PagerDuty's dedup_key; `resolve` closes it there. */
  dedupKey?: string;
  action?: 'trigger' | 'resolve';
}

/**
 * A delivery: one message to one channel. `held` waits for the channel's rate
 * window, then goes out inside a summary (`digested`, with `digestId`).
 */
export const NOTIFY_DELIVERY_STATES = ['pending', 'sent', 'failed', 'held', 'digested'] as const;
export const DeliveryAttempt = z.object({
  at: IsoDate,
  ok: z.boolean(),
  /** The HTTP status, when there was one. */
  status: z.number().int().nullable(),
  /** The peer's answer (cut to 500 characters) or the error. */
  answer: z.string(),
});
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;
export const NotifyDeliveryView = z.object({
  id: z.string(),
  channelId: z.string(),
  channelName: z.string().nullable(),
  channelType: z.enum(CHANNEL_TYPES).nullable(),
  source: z.string(),
  title: z.string(),
  status: z.enum(NOTIFY_DELIVERY_STATES),
  attempts: z.number().int(),
  log: z.array(DeliveryAttempt),
  error: z.string().nullable(),
  /** The summary delivery that carried a held one. */
  digestId: z.string().nullable(),
  /** When a pending one is tried next. */
  nextAttemptAt: IsoDate.nullable(),
  createdAt: IsoDate,
  sentAt: IsoDate.nullable(),
});
export type NotifyDeliveryView = z.infer<typeof NotifyDeliveryView>;
export const NotifyDeliveryQuery = PageQuery.extend({
  channelId: Id.optional(),
  status: z.enum(NOTIFY_DELIVERY_STATES).optional(),
  /** Deliveries whose source starts with this (`job-alert:`, `incident:<id>`). */
  source: z.string().trim().max(200).optional(),
});
export type NotifyDeliveryQuery = z.infer<typeof NotifyDeliveryQuery>;

// ------------------------------------------------------------ job alerts

export const JOB_ALERT_ON = ['failed', 'partial', 'killed'] as const;
export const JobAlertBody = z.strictObject({
  name: z.string().trim().min(1).max(128),
  /** One template's runs, or every run when absent. */
  templateId: Id.optional(),
  /** Run outcomes that alert. */
  on: z.array(z.enum(JOB_ALERT_ON)).max(3).default(['failed', 'partial']),
  /** Alert too when a run has gone on longer than this (once per run, while it still runs). */
  durationOverSec: z.number().int().min(1).max(7 * 86_400).optional(),
  channelIds: z.array(Id).min(1).max(20),
  enabled: z.boolean().default(true),
});
export type JobAlertBody = z.infer<typeof JobAlertBody>;
export const JobAlertView = z.object({
  id: z.string(),
  name: z.string(),
  templateId: z.string().nullable(),
  on: z.array(z.enum(JOB_ALERT_ON)),
  durationOverSec: z.number().int().nullable(),
  channelIds: z.array(z.string()),
  enabled: z.boolean(),
  createdAt: IsoDate,
});
export type JobAlertView = z.infer<typeof JobAlertView>;
