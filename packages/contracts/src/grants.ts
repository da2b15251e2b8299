import { z } from 'zod';
import { Id, IsoDate, PageQuery } from './common.js';

/**
 * A role granted to a user or a team, globally (`nodeId` null) or on a
 * service-tree node and everything below it.
 */
export const GrantView = z.object({
  id: z.string(),
  userId: z.string().nullable(),
  teamId: z.string().nullable(),
  /** Username or team name, for lists. */
  subjectName: z.string(),
  role: z.string(),
  nodeId: z.string().nullable(),
  createdAt: IsoDate,
  createdBy: z.string().nullable(),
});
export type GrantView = z.infer<typeof GrantView>;

export const CreateGrantBody = z
  .strictObject({
    userId: Id.optional(),
    teamId: Id.optional(),
    role: z.string().min(1).max(64),
    nodeId: Id.optional(),
  })
  .refine((b) => (b.userId === undefined) !== (b.teamId === undefined), {
    message: 'give exactly one of userId and teamId',
    path: ['userId'],
  });
export type CreateGrantBody = z.infer<typeof CreateGrantBody>;

export const GrantListQuery = PageQuery.extend({
  userId: Id.optional(),
  teamId: Id.optional(),
  role: z.string().max(64).optional(),
  nodeId: Id.optional(),
});
export type GrantListQuery = z.infer<typeof GrantListQuery>;
