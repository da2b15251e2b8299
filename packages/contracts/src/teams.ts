import { z } from 'zod';
import { Description, Id, IsoDate, PageQuery } from './common.js';

const TeamName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, 'letters, digits, space, dot, dash and underscore');

export const TeamView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  memberIds: z.array(z.string()),
  createdAt: IsoDate,
});
export type TeamView = z.infer<typeof TeamView>;

export const CreateTeamBody = z.strictObject({
  name: TeamName,
  description: Description.optional(),
  memberIds: z.array(Id).max(1000).optional(),
});
export type CreateTeamBody = z.infer<typeof CreateTeamBody>;

export const UpdateTeamBody = z.strictObject({
  name: TeamName.optional(),
  description: Description.optional(),
  memberIds: z.array(Id).max(1000).optional(),
});
export type UpdateTeamBody = z.infer<typeof UpdateTeamBody>;

export const TeamListQuery = PageQuery.extend({ q: z.string().max(128).optional() });
export type TeamListQuery = z.infer<typeof TeamListQuery>;
