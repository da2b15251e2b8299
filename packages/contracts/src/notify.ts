import { z } from 'zod';
import { Id, IsoDate, PageQuery } from './common.js';

/**
 * Notification channels: where alerts and job alerts go. This issue ships a
 * generic webhook and email; the on-call issue adds DingTalk, Feishu, WeCom,
 * Slack and PagerDuty through the same service.
 */
export const NOTIFY_CHANNEL_TYPES = ['webhook', 'email'] as const;

const HeaderName = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'a header name');
const Webhook = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }),
  /** Sent with every call (an Authorization token…): sealed at rest, never answered back. */
  headers: z.record(HeaderName, z.string().max(4096)).default({}),
});
const Email = z.strictObject({ to: z.array(z.email()).min(1).max(50) });

export const NotifyChannelBody = z.discriminatedUnion('type', [
  z.strictObject({ name: z.string().trim().min(1).max(128), type: z.literal('webhook'), webhook: Webhook, enabled: z.boolean().default(true) }),
  z.strictObject({ name: z.string().trim().min(1).max(128), type: z.literal('email'), email: Email, enabled: z.boolean().default(true) }),
]);
export type NotifyChannelBody = z.infer<typeof NotifyChannelBody>;

export const NotifyChannelView = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(NOTIFY_CHANNEL_TYPES),
  enabled: z.boolean(),
  /** The URL, and the names of its headers (their values are secret). */
  webhook: z.object({ url: z.string(), headerNames: z.array(z.string()) }).nullable(),
  email: z.object({ to: z.array(z.string()) }).nullable(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type NotifyChannelView = z.infer<typeof NotifyChannelView>;

/** What a channel is sent. */
export interface NotifyMessage {
  title: string;
  text: string;
  severity: 'info' | 'warning' | 'critical';
  /** A console path to open (`/jobs/runs/…`). */
  link?: string;
  /** What sent it (`job-alert:<rule id>`), kept with the delivery. */
  source: string;
}

export const NOTIFY_DELIVERY_STATES = ['pending', 'sent', 'failed'] as const;
export const NotifyDeliveryView = z.object({
  id: z.string(),
  channelId: z.string(),
  source: z.string(),
  title: z.string(),
  status: z.enum(NOTIFY_DELIVERY_STATES),
  attempts: z.number().int(),
  error: z.string().nullable(),
  createdAt: IsoDate,
  sentAt: IsoDate.nullable(),
});
export type NotifyDeliveryView = z.infer<typeof NotifyDeliveryView>;
export const NotifyDeliveryQuery = PageQuery.extend({ channelId: Id.optional(), status: z.enum(NOTIFY_DELIVERY_STATES).optional() });
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
