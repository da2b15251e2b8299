import { timestamp, uuid } from 'drizzle-orm/pg-core';

/** Shared column shapes, so every table spells time and ids the same way. */
export const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
export const id = () => uuid('id').primaryKey();
