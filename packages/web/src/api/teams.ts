import type { CreateTeamBody, Page, TeamView, UpdateTeamBody } from '@opsline/contracts';
import { http, pathOf } from './client';
import type { PageParams } from './paging';

export interface TeamFilter {
  q?: string;
}

export const listTeams = (params: PageParams<TeamFilter> = {}) => http.get<Page<TeamView>>('/teams', { ...params });

export const getTeam = (id: string) => http.get<TeamView>(pathOf('/teams', id));

export const createTeam = (body: CreateTeamBody) => http.post<TeamView>('/teams', body);

export const updateTeam = (id: string, body: UpdateTeamBody) => http.patch<TeamView>(pathOf('/teams', id), body);

export const deleteTeam = (id: string) => http.delete(pathOf('/teams', id));
