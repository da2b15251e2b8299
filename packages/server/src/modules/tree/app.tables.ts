import { index, jsonb, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import type { AppPort } from '@opsline/contracts';
import { at, id } from '../../platform/db/columns.js';
import { treeNodes } from './tree.tables.js';

/** Apps and services, each on one tree node (null once a cascading delete unbound it). */
export const apps = pgTable(
  'apps',
  {
    id: id(),
    name: text('name').notNull(),
    nodeId: uuid('node_id').references(() => treeNodes.id),
    description: text('description').notNull().default(''),
    /** User ids; ids of users deleted since are dropped when read. */
    ownerIds: uuid('owner_ids').array().notNull().default([]),
    repoUrl: text('repo_url').notNull().default(''),
    runtime: text('runtime').notNull().default('host'),
    ports: jsonb('ports').$type<AppPort[]>().notNull().default([]),
    labels: jsonb('labels').$type<Record<string, string>>().notNull().default({}),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [unique('apps_node_name_key').on(t.nodeId, t.name), index('apps_name_idx').on(t.name)],
);
