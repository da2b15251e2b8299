import type { CreateRoleBody, Page, PermissionInfo, RoleView, UpdateRoleBody } from '@opsline/contracts';
import { http, pathOf } from './client';
import type { PageParams } from './paging';

export const listRoles = (params: PageParams = {}) => http.get<Page<RoleView>>('/roles', params);

export const createRole = (body: CreateRoleBody) => http.post<RoleView>('/roles', body);

export const updateRole = (id: string, body: UpdateRoleBody) => http.patch<RoleView>(pathOf('/roles', id), body);

export const deleteRole = (id: string) => http.delete(pathOf('/roles', id));

/** The permission registry, for the role editor. */
export const listPermissions = () => http.get<{ items: PermissionInfo[] }>('/permissions');
