import { z } from 'zod';
import { Description, IsoDate, PageQuery } from './common.js';

const RoleName = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, dash and underscore');

/** `resource:action`, `resource:*` or `*`. */
export const PermissionString = z
  .string()
  .max(128)
  .regex(/^(\*|[a-z][a-z0-9-]*:(\*|[a-z][a-z0-9-]*))$/, 'resource:action, resource:* or *');

export const RoleView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  permissions: z.array(z.string()),
  builtin: z.boolean(),
  createdAt: IsoDate,
});
export type RoleView = z.infer<typeof RoleView>;

export const CreateRoleBody = z.strictObject({
  name: RoleName,
  description: Description.optional(),
  permissions: z.array(PermissionString).min(1).max(200),
});
export type CreateRoleBody = z.infer<typeof CreateRoleBody>;

export const UpdateRoleBody = z.strictObject({
  description: Description.optional(),
  permissions: z.array(PermissionString).min(1).max(200).optional(),
});
export type UpdateRoleBody = z.infer<typeof UpdateRoleBody>;

export const RoleListQuery = PageQuery;

export const PermissionInfo = z.object({ name: z.string(), description: z.string() });
export type PermissionInfo = z.infer<typeof PermissionInfo>;
