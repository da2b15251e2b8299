import { z } from 'zod';
import { Id, IsoDate, PageQuery, Password, Username } from './common.js';

export const UserStatus = z.enum(['active', 'disabled']);
export type UserStatus = z.infer<typeof UserStatus>;

export const UserView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  status: UserStatus,
  /** Names of the roles granted globally to this user directly. */
  roles: z.array(z.string()),
  teamIds: z.array(z.string()),
  createdAt: IsoDate,
  lastLoginAt: IsoDate.nullable(),
});
export type UserView = z.infer<typeof UserView>;

const Email = z.email().max(254);
const DisplayName = z.string().trim().max(128);
const RoleNames = z.array(z.string().min(1).max(64)).max(32);
const TeamIds = z.array(Id).max(64);

export const CreateUserBody = z.strictObject({
  username: Username,
  password: Password,
  displayName: DisplayName.optional(),
  email: Email.optional(),
  /** Roles granted globally; default `viewer`. */
  roles: RoleNames.optional(),
  teamIds: TeamIds.optional(),
});
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UpdateUserBody = z.strictObject({
  displayName: DisplayName.optional(),
  email: Email.nullable().optional(),
  status: UserStatus.optional(),
  /** An administrator sets a new password; the user's sessions end. */
  password: Password.optional(),
  roles: RoleNames.optional(),
  teamIds: TeamIds.optional(),
});
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

export const UserListQuery = PageQuery.extend({
  q: z.string().max(128).optional(),
  status: UserStatus.optional(),
  teamId: Id.optional(),
});
export type UserListQuery = z.infer<typeof UserListQuery>;
