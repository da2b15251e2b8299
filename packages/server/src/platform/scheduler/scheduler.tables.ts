import { pgTable, text } from 'drizzle-orm/pg-core';
import { at } from '../db/columns.js';

/** One row per scheduled job: the last tick done, so several servers run each tick once. */
export const schedulerRuns = pgTable('scheduler_runs', {
  name: text('name').primaryKey(),
  lastTick: at('last_tick').notNull(),
  lastStartedAt: at('last_started_at').notNull(),
  lastFinishedAt: at('last_finished_at'),
  lastError: text('last_error'),
});
