import { z } from 'zod';
import { Description, Id, IsoDate, PageQuery } from './common.js';

/** The fixed set of node icons (the seed asks for a list, not anything goes). */
export const TREE_ICONS = ['folder', 'business', 'cloud', 'cluster', 'server', 'database', 'network', 'storage', 'app', 'shield'] as const;
export const TreeIcon = z.enum(TREE_ICONS);
export type TreeIcon = z.infer<typeof TreeIcon>;

/** `[a-z0-9][a-z0-9_-]{0,62}`: a node's path is its ancestors' names joined by `.`. */
export const TreeNodeName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, dash and underscore, starting with a letter or digit, at most 63');

export const TreeNodeView = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  name: z.string(),
  /** `infra.k8s.prod-01` */
  path: z.string(),
  /** 0 for a root. */
  depth: z.number().int(),
  isLeaf: z.boolean(),
  icon: TreeIcon,
  description: z.string(),
  childCount: z.number().int(),
  /** Host bindings in the whole subtree (a host bound to two leaves in it counts twice); null on a pathOnly node. */
  hostCount: z.number().int().nullable(),
  /**
   * You see this node only because something below it is granted to you: it is
   * read-only for you, and its hosts and apps are not shown.
   */
  pathOnly: z.boolean(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type TreeNodeView = z.infer<typeof TreeNodeView>;

export const CreateTreeNodeBody = z.strictObject({
  parentId: Id.nullable().optional(),
  name: TreeNodeName,
  isLeaf: z.boolean().optional(),
  icon: TreeIcon.optional(),
  description: Description.optional(),
});
export type CreateTreeNodeBody = z.infer<typeof CreateTreeNodeBody>;

/** A new name renames the node and every path below it. */
export const UpdateTreeNodeBody = z.strictObject({
  name: TreeNodeName.optional(),
  isLeaf: z.boolean().optional(),
  icon: TreeIcon.optional(),
  description: Description.optional(),
});
export type UpdateTreeNodeBody = z.infer<typeof UpdateTreeNodeBody>;

/** `parentId` null makes the node a root. */
export const MoveTreeNodeBody = z.strictObject({ parentId: Id.nullable() });
export type MoveTreeNodeBody = z.infer<typeof MoveTreeNodeBody>;

/** Children of `parentId`, or the roots without it; paged by name. */
export const TreeNodeListQuery = PageQuery.extend({ parentId: Id.optional() });
export type TreeNodeListQuery = z.infer<typeof TreeNodeListQuery>;

export const TreeSearchQuery = z.strictObject({
  /** Matches node names and paths, case-insensitive. */
  q: z.string().trim().min(1).max(256),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type TreeSearchQuery = z.infer<typeof TreeSearchQuery>;

export const DeleteTreeNodeQuery = z.strictObject({
  /** Remove the whole subtree and unbind what is bound to it (admin). */
  cascade: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});

export const EffectivePermissionsQuery = z.strictObject({
  /** Whose permissions; the caller's when absent. */
  user: Id.optional(),
});

/** One grant that applies on a node, and where it comes from. */
export const EffectiveGrant = z.object({
  grantId: z.string(),
  role: z.string(),
  permissions: z.array(z.string()),
  /** `user`: granted to the user; `team`: through a team they belong to. */
  via: z.enum(['user', 'team']),
  teamId: z.string().nullable(),
  teamName: z.string().nullable(),
  /** Where the grant sits: null for a global grant, else this node or an ancestor. */
  nodeId: z.string().nullable(),
  nodePath: z.string().nullable(),
  inherited: z.boolean(),
});
export type EffectiveGrant = z.infer<typeof EffectiveGrant>;

export const EffectivePermissions = z.object({
  nodeId: z.string(),
  path: z.string(),
  userId: z.string(),
  /** The union of the grants' permissions (`*` stands for all). */
  permissions: z.array(z.string()),
  grants: z.array(EffectiveGrant),
});
export type EffectivePermissions = z.infer<typeof EffectivePermissions>;
