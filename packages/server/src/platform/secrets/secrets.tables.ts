import { pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at, id } from '../db/columns.js';

/** Stored credentials, sealed with AES-256-GCM envelope encryption; the clear value never lands here. */
export const secrets = pgTable(
  'secrets',
  {
    id: id(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    sealed: text('sealed').notNull(),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
    createdBy: uuid('created_by'),
  },
  (t) => [uniqueIndex('secrets_name_key').on(t.name)],
);
