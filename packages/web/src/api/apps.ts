import type { AppRuntime, AppView, CreateAppBody, Page, UpdateAppBody } from '@opsline/contracts';
import { http, pathOf } from './client';
import type { PageParams } from './paging';

const APPS = '/apps';

export interface AppFilter {
  /** Apps on this node; with `descendants`, anywhere below it too. */
  nodeId?: string | null;
  descendants?: boolean;
  /** Part of the name. */
  q?: string;
  runtime?: AppRuntime | null;
}

/** Paged by name. */
export const listApps = (params: PageParams<AppFilter> = {}) => http.get<Page<AppView>>(APPS, { ...params });

export const getApp = (id: string) => http.get<AppView>(pathOf(APPS, id));

export const createApp = (body: CreateAppBody) => http.post<AppView>(APPS, body);

/** A new `nodeId` moves the app to that node. */
export const updateApp = (id: string, body: UpdateAppBody) => http.patch<AppView>(pathOf(APPS, id), body);

export const deleteApp = (id: string) => http.delete(pathOf(APPS, id));
