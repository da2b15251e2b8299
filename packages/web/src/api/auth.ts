import type { ChangePasswordBody, LoginBody, LoginResult, MeResult } from '@opsline/contracts';
import { http } from './client';

export const login = (body: LoginBody) => http.post<LoginResult>('/auth/login', body, { expectUnauthorized: true });

export const logout = () => http.post<void>('/auth/logout', undefined, { expectUnauthorized: true });

/** The signed-in user and their permissions; 401 when there is no session. */
export const getMe = () => http.get<MeResult>('/auth/me', undefined, { expectUnauthorized: true });

export const changePassword = (body: ChangePasswordBody) => http.post<{ ok: true }>('/auth/password', body);
