import type { CreateSecretBody, Page, SecretView, UpdateSecretBody } from '@opsline/contracts';
import { http, pathOf } from './client';
import type { PageParams } from './paging';

export interface SecretFilter {
  q?: string;
}

/** Names and descriptions only: the API never returns a stored value. */
export const listSecrets = (params: PageParams<SecretFilter> = {}) => http.get<Page<SecretView>>('/secrets', { ...params });

export const createSecret = (body: CreateSecretBody) => http.post<SecretView>('/secrets', body);

/** A new `value` replaces the stored one (rotation); the old one is gone. */
export const updateSecret = (id: string, body: UpdateSecretBody) => http.patch<SecretView>(pathOf('/secrets', id), body);

export const deleteSecret = (id: string) => http.delete(pathOf('/secrets', id));
