import { z } from 'zod';
import { IsoDate, PageQuery } from './common.js';

export const AuditResult = z.enum(['success', 'failure', 'denied']);
export type AuditResult = z.infer<typeof AuditResult>;

/** One audit record: who did what to which target, from where, and how it ended. */
export const AuditRecordView = z.object({
  id: z.string(),
  at: IsoDate,
  actorId: z.string().nullable(),
  actorName: z.string(),
  /** `user.create`, `auth.login`, `grant.delete` … */
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  sourceIp: z.string(),
  userAgent: z.string().nullable(),
  method: z.string(),
  path: z.string(),
  result: AuditResult,
  errorCode: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});
export type AuditRecordView = z.infer<typeof AuditRecordView>;

export const AuditListQuery = PageQuery.extend({
  actor: z.string().max(64).optional(),
  action: z.string().max(128).optional(),
  targetType: z.string().max(64).optional(),
  targetId: z.string().max(128).optional(),
  result: AuditResult.optional(),
  since: IsoDate.optional(),
  until: IsoDate.optional(),
});
export type AuditListQuery = z.infer<typeof AuditListQuery>;
