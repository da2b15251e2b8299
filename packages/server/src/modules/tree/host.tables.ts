import { index, integer, jsonb, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import type { Disk } from '@opsline/contracts';
import { at, id } from '../../platform/db/columns.js';
import { users } from '../../platform/identity/identity.tables.js';
import { treeNodes } from './tree.tables.js';

/** The CMDB's hosts. Hostnames are unique (lower-case): imports match on them. */
export const hosts = pgTable(
  'hosts',
  {
    id: id(),
    hostname: text('hostname').notNull(),
    ips: text('ips').array().notNull(),
    /** `hostname ip ip …`: what the fuzzy host search matches, trigram-indexed. */
    searchText: text('search_text').notNull(),
    os: text('os').notNull().default(''),
    cpuCores: integer('cpu_cores'),
    memoryMb: integer('memory_mb'),
    disks: jsonb('disks').$type<Disk[]>().notNull().default([]),
    labels: jsonb('labels').$type<Record<string, string>>().notNull().default({}),
    status: text('status').notNull().default('unknown'),
    source: text('source').notNull(),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    unique('hosts_hostname_key').on(t.hostname),
    index('hosts_search_trgm_idx').using('gin', t.searchText.op('gin_trgm_ops')),
    index('hosts_status_hostname_idx').on(t.status, t.hostname),
  ],
);

/** A host bound to a leaf node; a host may sit on several leaves. */
export const hostBindings = pgTable(
  'host_bindings',
  {
    hostId: uuid('host_id').notNull().references(() => hosts.id, { onDelete: 'cascade' }),
    nodeId: uuid('node_id').notNull().references(() => treeNodes.id),
    createdAt: at('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.hostId, t.nodeId] }), index('host_bindings_node_idx').on(t.nodeId, t.hostId)],
);
