import { boolean, index, integer, pgTable, text, unique, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { at, id } from '../../platform/db/columns.js';

/**
 * The service tree, stored as materialized paths (docs/adr/0004): `path` is
 * the names (`infra.k8s.prod-01`, for display and search), `id_path` the ids
 * (stable under renames, for subtrees and ancestry). Both are prefix-indexed.
 */
export const treeNodes = pgTable(
  'tree_nodes',
  {
    id: id(),
    parentId: uuid('parent_id').references((): AnyPgColumn => treeNodes.id),
    name: text('name').notNull(),
    path: text('path').notNull(),
    idPath: text('id_path').notNull(),
    depth: integer('depth').notNull(),
    isLeaf: boolean('is_leaf').notNull().default(false),
    icon: text('icon').notNull().default('folder'),
    description: text('description').notNull().default(''),
    /** Host bindings in the subtree, kept by bind, unbind, move and delete: a child list shows it without counting. */
    hostCount: integer('host_count').notNull().default(0),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    unique('tree_nodes_parent_name_key').on(t.parentId, t.name).nullsNotDistinct(),
    index('tree_nodes_id_path_idx').on(t.idPath.op('text_pattern_ops')),
    index('tree_nodes_path_idx').on(t.path.op('text_pattern_ops')),
    // Substring search on paths (a name is the end of its path).
    index('tree_nodes_path_trgm_idx').using('gin', t.path.op('gin_trgm_ops')),
  ],
);
