import { and, desc, eq, gt, isNotNull, lt, lte } from 'drizzle-orm';
import type { Db } from '../../platform/db/db.js';
import { jobScheduleFires, jobSchedules } from './jobs.tables.js';

export type ScheduleRow = typeof jobSchedules.$inferSelect;
export type FireRow = Omit<typeof jobScheduleFires.$inferSelect, 'outcome'> & { outcome: 'started' | 'queued' | 'skipped_overlap' | 'skipped_misfire' | 'failed' };

export const schedulesRepo = {
  async insert(db: Db, row: ScheduleRow): Promise<void> {
    await db.insert(jobSchedules).values(row);
  },
  async byId(db: Db, id: string): Promise<ScheduleRow | undefined> {
    const [row] = await db.select().from(jobSchedules).where(eq(jobSchedules.id, id)).limit(1);
    return row;
  },
  async update(db: Db, id: string, set: Partial<ScheduleRow>): Promise<void> {
    await db.update(jobSchedules).set(set).where(eq(jobSchedules.id, id));
  },
  async remove(db: Db, id: string): Promise<void> {
    await db.delete(jobSchedules).where(eq(jobSchedules.id, id));
  },
  list(db: Db, templateId: string | undefined, after: string | undefined, limit: number): Promise<ScheduleRow[]> {
    return db
      .select()
      .from(jobSchedules)
      .where(and(templateId ? eq(jobSchedules.templateId, templateId) : undefined, after ? lt(jobSchedules.id, after) : undefined))
      .orderBy(desc(jobSchedules.id))
      .limit(limit);
  },
  due(db: Db, now: Date): Promise<ScheduleRow[]> {
    return db.select().from(jobSchedules).where(and(eq(jobSchedules.enabled, true), isNotNull(jobSchedules.nextFireAt), lte(jobSchedules.nextFireAt, now))).limit(100);
  },
  /** Moves a due fire on; true for the one caller (of any server) that did. */
  async claim(db: Db, id: string, due: Date, next: Date | null): Promise<boolean> {
    const rows = await db.update(jobSchedules).set({ nextFireAt: next }).where(and(eq(jobSchedules.id, id), eq(jobSchedules.nextFireAt, due))).returning({ id: jobSchedules.id });
    return rows.length > 0;
  },
  withQueued(db: Db): Promise<ScheduleRow[]> {
    return db.select().from(jobSchedules).where(and(eq(jobSchedules.enabled, true), gt(jobSchedules.queued, 0))).limit(100);
  },
  async takeQueued(db: Db, id: string, queued: number): Promise<boolean> {
    const rows = await db.update(jobSchedules).set({ queued: queued - 1 }).where(and(eq(jobSchedules.id, id), eq(jobSchedules.queued, queued))).returning({ id: jobSchedules.id });
    return rows.length > 0;
  },
  async insertFire(db: Db, row: FireRow): Promise<void> {
    await db.insert(jobScheduleFires).values(row);
  },
  fires(db: Db, scheduleId: string, after: string | undefined, limit: number) {
    return db
      .select()
      .from(jobScheduleFires)
      .where(and(eq(jobScheduleFires.scheduleId, scheduleId), after ? lt(jobScheduleFires.id, after) : undefined))
      .orderBy(desc(jobScheduleFires.id))
      .limit(limit);
  },
};
