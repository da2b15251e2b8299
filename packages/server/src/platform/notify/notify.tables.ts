import { boolean, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { at, id } from '../db/columns.js';

/** Where notifications go. Webhook header values are sealed (`sealed_headers`); the rest is plain. */
export const notifyChannels = pgTable('notify_channels', {
  id: id(),
  name: text('name').notNull(),
  type: text('type').notNull(),
  enabled: boolean('enabled').notNull(),
  /** webhook: {url, headerNames}; email: {to}. */
  config: jsonb('config').$type<{ url?: string; headerNames?: string[]; to?: string[] }>().notNull(),
  sealedHeaders: text('sealed_headers'),
  createdBy: uuid('created_by'),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

/** Every message to every channel and how it went: written before sending, so nothing is lost unseen. */
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
    error: text('error'),
    createdAt: at('created_at').notNull(),
    sentAt: at('sent_at'),
  },
  (t) => [index('notify_deliveries_channel_idx').on(t.channelId, t.id), index('notify_deliveries_status_idx').on(t.status)],
);
