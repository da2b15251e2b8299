import type { CreateUserBody, Page, UpdateUserBody, UserStatus, UserView } from '@opsline/contracts';
import { http, pathOf } from './client';
import type { PageParams } from './paging';

export interface UserFilter {
  q?: string;
  status?: UserStatus | null;
  teamId?: string | null;
}

export const listUsers = (params: PageParams<UserFilter> = {}) => http.get<Page<UserView>>('/users', { ...params });

export const getUser = (id: string) => http.get<UserView>(pathOf('/users', id));

export const createUser = (body: CreateUserBody) => http.post<UserView>('/users', body);

export const updateUser = (id: string, body: UpdateUserBody) => http.patch<UserView>(pathOf('/users', id), body);

export const deleteUser = (id: string) => http.delete(pathOf('/users', id));
