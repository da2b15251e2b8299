import { and, desc, eq } from 'drizzle-orm';
import type { AuditListQuery, AuditRecordView, AuditResult, Page } from '@opsline/contracts';
import type { Clock } from '../clock.js';
import type { Db } from '../db/db.js';
import { logWindow, toPage } from '../http/cursor.js';
import { auditLog } from './audit.tables.js';
import { redact } from './redact.js';

/** Where a change came from: the request (or `cli`/`system`) and who made it. */
export interface AuditOrigin {
  actorId: string | null;
  actorName: string;
  sourceIp: string;
  userAgent: string | null;
  method: string;
  path: string;
}

/** What the change did; services fill it in as they go. */
export interface AuditDraft {
  targetType: string | null;
  targetId: string | null;
  before: unknown;
  after: unknown;
}

export const emptyDraft = (): AuditDraft => ({ targetType: null, targetId: null, before: null, after: null });

type AuditRow = typeof auditLog.$inferSelect;

function view(row: AuditRow): AuditRecordView {
  return {
    id: String(row.id), at: row.at.toISOString(), actorId: row.actorId, actorName: row.actorName, action: row.action,
    targetType: row.targetType, targetId: row.targetId, sourceIp: row.sourceIp, userAgent: row.userAgent,
    method: row.method, path: row.path, result: row.result, errorCode: row.errorCode, before: row.before, after: row.after,
  };
}

export function createAuditService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  return {
    async write(
      tx: Db,
      entry: { origin: AuditOrigin; action: string; draft: AuditDraft; result: AuditResult; errorCode?: string | null },
    ): Promise<void> {
      const { origin, draft } = entry;
      await tx.insert(auditLog).values({
        at: clock.now(), actorId: origin.actorId, actorName: origin.actorName, action: entry.action,
        targetType: draft.targetType, targetId: draft.targetId, sourceIp: origin.sourceIp,
        userAgent: origin.userAgent?.slice(0, 512) ?? null, method: origin.method, path: origin.path.slice(0, 1024),
        result: entry.result, errorCode: entry.errorCode ?? null, before: redact(draft.before), after: redact(draft.after),
      });
    },

    async list(q: AuditListQuery): Promise<Page<AuditRecordView>> {
      const rows = await db
        .select()
        .from(auditLog)
        .where(
          and(
            q.actor ? eq(auditLog.actorName, q.actor.toLowerCase()) : undefined,
            q.action ? eq(auditLog.action, q.action) : undefined,
            q.targetType ? eq(auditLog.targetType, q.targetType) : undefined,
            q.targetId ? eq(auditLog.targetId, q.targetId) : undefined,
            q.result ? eq(auditLog.result, q.result) : undefined,
            ...logWindow(auditLog.at, auditLog.id, q),
          ),
        )
        .orderBy(desc(auditLog.id))
        .limit(q.limit + 1);
      return toPage(rows, q.limit, view, (r) => r.id);
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
