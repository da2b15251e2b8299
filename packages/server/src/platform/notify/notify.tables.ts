import { boolean, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { DeliveryAttempt, MessageTemplate } from '@opsline/contracts';
import { at, id } from '../db/columns.js';

/** Where notifications go. The secret parts of a channel's config are sealed in `sealed_config`; the rest is plain. */
export const notifyChannels = pgTable('notify_channels', {
  id: id(),
  name: text('name').notNull(),
  type: text('type').notNull(),
  enabled: boolean('enabled').notNull(),
  /** The config without its secret fields (CHANNEL_SECRET_FIELDS). */
  config: jsonb('config').$type<Record<string, unknown>>().notNull(),
  /** The secret fields as sealed JSON, or null when none is set. */
  sealedConfig: text('sealed_config'),
  /** Null: the type's default (CHANNEL_RATE_DEFAULTS). */
  ratePerMinute: integer('rate_per_minute'),
  template: jsonb('template').$type<MessageTemplate>(),
  createdBy: uuid('created_by'),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

/**
 * Every message to every channel and how it went: written before sending, so
 * nothing is lost unseen. A worker on any server claims due `pending` rows
 * (`claimed_until`), tries them, and backs off on failure (`next_attempt_at`).
 */
export const notifyDeliveries = pgTable(
  'notify_deliveries',
  {
    id: id(),
    channelId: uuid('channel_id').notNull(),
    source: text('source').notNull(),
    title: text('title').notNull(),
    message: jsonb('message').$type<Record<string, unknown>>().notNull(),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    log: jsonb('log').$type<DeliveryAttempt[]>().notNull().default([]),
    error: text('error'),
    digestId: uuid('digest_id'),
    nextAttemptAt: at('next_attempt_at'),
    claimedUntil: at('claimed_until'),
    /** When it first went out (or was first tried): what a channel's rate window counts. */
    firstTriedAt: at('first_tried_at'),
    createdAt: at('created_at').notNull(),
    sentAt: at('sent_at'),
  },
  (t) => [
    index('notify_deliveries_channel_idx').on(t.channelId, t.id),
    index('notify_deliveries_status_idx').on(t.status, t.nextAttemptAt),
    index('notify_deliveries_window_idx').on(t.channelId, t.firstTriedAt),
  ],
);

/** The admins' allow/deny lists of outbound hosts: one row, id `default`. */
export const notifyOutboundPolicy = pgTable('notify_outbound_policy', {
  id: text('id').primaryKey(),
  allow: jsonb('allow').$type<string[]>().notNull(),
  deny: jsonb('deny').$type<string[]>().notNull(),
  updatedBy: uuid('updated_by'),
  updatedAt: at('updated_at').notNull(),
});
