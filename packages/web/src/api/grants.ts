import type { CreateGrantBody, GrantView, Page } from '@opsline/contracts';
import { http, pathOf } from './client';
import type { PageParams } from './paging';

export interface GrantFilter {
  userId?: string | null;
  teamId?: string | null;
  role?: string | null;
  nodeId?: string | null;
}

export const listGrants = (params: PageParams<GrantFilter> = {}) => http.get<Page<GrantView>>('/grants', { ...params });

export const createGrant = (body: CreateGrantBody) => http.post<GrantView>('/grants', body);

export const revokeGrant = (id: string) => http.delete(pathOf('/grants', id));
