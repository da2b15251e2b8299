import { bigint, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { at } from '../db/columns.js';

/** The one timeline: every module appends its domain events here. */
export const events = pgTable(
  'events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    type: text('type').notNull(),
    at: at('at').notNull(),
    severity: text('severity', { enum: ['info', 'warning', 'critical'] }).notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    resourceType: text('resource_type'),
    resourceId: text('resource_id'),
    nodeId: text('node_id'),
    summary: text('summary').notNull(),
    payload: jsonb('payload').notNull(),
  },
  (t) => [
    index('events_type_idx').on(t.type),
    index('events_at_idx').on(t.at),
    index('events_resource_idx').on(t.resourceType, t.resourceId),
    index('events_node_idx').on(t.nodeId),
  ],
);
