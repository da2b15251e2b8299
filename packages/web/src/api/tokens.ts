import type { CreatedToken, CreateTokenBody, Page, TokenView } from '@opsline/contracts';
import { http, pathOf } from './client';
import type { PageParams } from './paging';

/** The caller's own API tokens. */
export const listTokens = (params: PageParams = {}) => http.get<Page<TokenView>>('/tokens', params);

/** The answer carries the token itself, this once. */
export const createToken = (body: CreateTokenBody) => http.post<CreatedToken>('/tokens', body);

export const revokeToken = (id: string) => http.delete(pathOf('/tokens', id));
