import { z } from 'zod';
import { IsoDate, Name, Password, Username } from './common.js';
import { UserView } from './users.js';

export const LoginBody = z.strictObject({
  username: Username,
  password: z.string().min(1).max(256),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const LoginResult = z.object({
  /** Bearer token of the new session; the same value is set as the HttpOnly cookie. */
  token: z.string(),
  /** Send this as `X-CSRF-Token` on cookie-authenticated mutations. */
  csrfToken: z.string(),
  expiresAt: IsoDate,
  user: UserView,
});
export type LoginResult = z.infer<typeof LoginResult>;

export const MeResult = z.object({
  user: UserView,
  /** Global permissions the caller holds (node-scoped ones are checked per node). */
  permissions: z.array(z.string()),
  /** Permissions held through grants on tree nodes: they apply only at and below those nodes. */
  nodePermissions: z.array(z.string()),
  /** Present for cookie sessions. */
  csrfToken: z.string().nullable(),
  authMethod: z.enum(['session', 'token']),
});
export type MeResult = z.infer<typeof MeResult>;

export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: Password,
});
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;

export const TokenView = z.object({
  id: z.string(),
  name: z.string(),
  /** First characters of the token, to recognise it in a list. */
  prefix: z.string(),
  userId: z.string(),
  createdAt: IsoDate,
  expiresAt: IsoDate.nullable(),
  lastUsedAt: IsoDate.nullable(),
});
export type TokenView = z.infer<typeof TokenView>;

export const CreateTokenBody = z.strictObject({
  name: Name,
  /** Days until the token expires; omit for a token that does not expire. */
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type CreateTokenBody = z.infer<typeof CreateTokenBody>;

export const CreatedToken = TokenView.extend({
  /** The token itself: shown this once, stored only as a hash. */
  token: z.string(),
});
export type CreatedToken = z.infer<typeof CreatedToken>;
