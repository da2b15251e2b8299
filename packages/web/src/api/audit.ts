import type { AuditRecordView, AuditResult, Page } from '@opsline/contracts';
import { http } from './client';
import type { PageParams } from './paging';

export interface AuditFilter {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  result?: AuditResult | null;
  /** ISO date-times. */
  since?: string | null;
  until?: string | null;
}

export const listAudit = (params: PageParams<AuditFilter> = {}) => http.get<Page<AuditRecordView>>('/audit', { ...params });
