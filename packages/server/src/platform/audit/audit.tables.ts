import { bigint, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { at } from '../db/columns.js';

/** Append-only (a trigger refuses UPDATE and DELETE): who did what, from where, and how it ended. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: at('at').notNull(),
    /** No foreign key: the record outlives the user. */
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    sourceIp: text('source_ip').notNull(),
    userAgent: text('user_agent'),
    method: text('method').notNull(),
    path: text('path').notNull(),
    result: text('result', { enum: ['success', 'failure', 'denied'] }).notNull(),
    errorCode: text('error_code'),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_actor_idx').on(t.actorName),
    index('audit_log_action_idx').on(t.action),
    index('audit_log_target_idx').on(t.targetType, t.targetId),
  ],
);
