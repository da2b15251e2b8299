import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { ScriptParam } from '@opsline/contracts';
import { at, id } from '../../platform/db/columns.js';

/** The script library: one row per script; its content lives in versions. */
export const scripts = pgTable(
  'scripts',
  {
    id: id(),
    name: text('name').notNull(),
    language: text('language').notNull(),
    description: text('description').notNull().default(''),
    /** The tree node it belongs to (script:write there to change it); null: global. */
    nodeId: uuid('node_id'),
    /** The latest version's number. */
    version: integer('version').notNull(),
    createdBy: uuid('created_by'),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [uniqueIndex('scripts_name_idx').on(t.name), index('scripts_node_idx').on(t.nodeId)],
);

/** Every save of a script's content or parameters; never changed afterwards. */
export const scriptVersions = pgTable(
  'script_versions',
  {
    scriptId: uuid('script_id').notNull(),
    version: integer('version').notNull(),
    language: text('language').notNull(),
    content: text('content').notNull(),
    params: jsonb('params').$type<ScriptParam[]>().notNull(),
    message: text('message').notNull().default(''),
    createdBy: uuid('created_by'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scriptId, t.version] })],
);

/** Dangerous-command guard: a script matching an enabled rule is blocked or needs approval. */
export const commandGuardRules = pgTable('command_guard_rules', {
  id: id(),
  name: text('name').notNull(),
  pattern: text('pattern').notNull(),
  action: text('action').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  description: text('description').notNull().default(''),
  builtin: boolean('builtin').notNull().default(false),
  createdBy: uuid('created_by'),
  createdAt: at('created_at').notNull(),
});
