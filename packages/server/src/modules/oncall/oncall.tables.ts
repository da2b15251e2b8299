import { boolean, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { EscalationLevel, NotificationRule, RoutingMatch, ScheduleLayer, SelfHeal, UserContact } from '@opsline/contracts';
import { at, id } from '../../platform/db/columns.js';
import { users } from '../../platform/identity/identity.tables.js';

/** On-call schedules (排班): layers of rotations in the schedule's time zone; layers are computed from, never expanded into rows. */
export const oncallSchedules = pgTable(
  'oncall_schedules',
  {
    id: id(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    timeZone: text('time_zone').notNull(),
    teamId: uuid('team_id'),
    /** Lowest first, each with its name filled in. */
    layers: jsonb('layers').$type<(ScheduleLayer & { name: string })[]>().notNull(),
    createdBy: uuid('created_by'),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [index('oncall_schedules_team_idx').on(t.teamId, t.id)],
);

/** Someone holds a whole schedule for a while, above every layer. */
export const oncallOverrides = pgTable(
  'oncall_overrides',
  {
    id: id(),
    scheduleId: uuid('schedule_id')
      .notNull()
      .references(() => oncallSchedules.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    startAt: at('start_at').notNull(),
    endAt: at('end_at').notNull(),
    createdBy: uuid('created_by'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [index('oncall_overrides_schedule_idx').on(t.scheduleId, t.endAt)],
);

/** Escalation policies (升级策略): levels of targets paged in turn until someone acknowledges. */
export const oncallEscalationPolicies = pgTable('oncall_escalation_policies', {
  id: id(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  levels: jsonb('levels').$type<EscalationLevel[]>().notNull(),
  repeat: integer('repeat').notNull().default(0),
  createdBy: uuid('created_by'),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

/** Routing rules (分派): which escalation policy an alert pages, tried in order. */
export const oncallRoutingRules = pgTable(
  'oncall_routing_rules',
  {
    id: id(),
    name: text('name').notNull(),
    order: integer('sort_order').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    match: jsonb('match').$type<RoutingMatch>().notNull(),
    escalationPolicyId: uuid('escalation_policy_id')
      .notNull()
      .references(() => oncallEscalationPolicies.id),
    continue: boolean('continue_matching').notNull().default(false),
    selfHeal: jsonb('self_heal').$type<SelfHeal>(),
    createdBy: uuid('created_by'),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [index('oncall_routing_rules_order_idx').on(t.order, t.id), index('oncall_routing_rules_policy_idx').on(t.escalationPolicyId)],
);

/** Each user's notification rules and contact; gone with the user. */
export const oncallUserSettings = pgTable('oncall_user_settings', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  rules: jsonb('rules').$type<NotificationRule[]>().notNull(),
  contact: jsonb('contact').$type<UserContact>().notNull(),
  updatedAt: at('updated_at').notNull(),
});
