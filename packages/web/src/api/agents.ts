import type { AgentStatus, AgentView, CreateEnrollmentTokenBody, CreatedEnrollmentToken, EnrollmentTokenView, Page } from '@opsline/contracts';
import { http, pathOf } from './client';
import type { PageParams } from './paging';

const AGENTS = '/agents';
const TOKENS = '/agents/enrollment-tokens';

/** Newest first; never the tokens themselves. */
export const listEnrollmentTokens = (params: PageParams = {}) => http.get<Page<EnrollmentTokenView>>(TOKENS, { ...params });

/** The answer carries the token itself, this once. */
export const createEnrollmentToken = (body: CreateEnrollmentTokenBody) => http.post<CreatedEnrollmentToken>(TOKENS, body);

/** Agents enrolled with it keep working. */
export const deleteEnrollmentToken = (id: string) => http.delete(pathOf(TOKENS, id));

export interface AgentFilter {
  status?: AgentStatus | null;
  /** Part of the hostname. */
  q?: string;
}

/** Paged by hostname, each with its latest figures. */
export const listAgents = (params: PageParams<AgentFilter> = {}) => http.get<Page<AgentView>>(AGENTS, { ...params });

export const getAgent = (id: string) => http.get<AgentView>(pathOf(AGENTS, id));

/** Disconnected at once and refused from then on. */
export const revokeAgent = (id: string) => http.post<AgentView>(`${pathOf(AGENTS, id)}/revoke`);
