import { boolean, check, index, pgTable, text, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { at, id } from '../db/columns.js';
import { teams, users } from '../identity/identity.tables.js';

export const roles = pgTable(
  'roles',
  {
    id: id(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    permissions: text('permissions').array().notNull(),
    builtin: boolean('builtin').notNull().default(false),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [uniqueIndex('roles_name_key').on(t.name)],
);

/**
 * A role granted to a user or a team, globally (node_id null) or on a
 * service-tree node; the tree module resolves inheritance down the subtree.
 */
export const grants = pgTable(
  'grants',
  {
    id: id(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'cascade' }),
    roleId: uuid('role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'restrict' }),
    nodeId: uuid('node_id'),
    createdAt: at('created_at').notNull(),
    createdBy: uuid('created_by'),
  },
  (t) => [
    check('grants_one_subject', sql`(${t.userId} is null) <> (${t.teamId} is null)`),
    unique('grants_subject_role_node_key').on(t.userId, t.teamId, t.roleId, t.nodeId).nullsNotDistinct(),
    index('grants_user_idx').on(t.userId),
    index('grants_team_idx').on(t.teamId),
    index('grants_node_idx').on(t.nodeId),
  ],
);
