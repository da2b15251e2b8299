import { z } from 'zod';
import { Description, Id, IsoDate, PageQuery } from './common.js';
import { Labels, NodeRef, Owner, TrueFalse } from './cmdb-common.js';
import { TreeNodeName } from './tree.js';

/** Where an app runs: on hosts (processes, systemd units) or on Kubernetes. */
export const APP_RUNTIMES = ['host', 'k8s'] as const;
export const AppRuntime = z.enum(APP_RUNTIMES);
export type AppRuntime = z.infer<typeof AppRuntime>;

export const AppPort = z.strictObject({
  port: z.number().int().min(1).max(65535),
  protocol: z.enum(['tcp', 'udp']).default('tcp'),
  /** `http`, `grpc`, `metrics` … */
  name: z.string().trim().max(63).default(''),
});
export type AppPort = z.infer<typeof AppPort>;

/** https://…, ssh://… or git@host:owner/repo.git */
export const RepoUrl = z
  .string()
  .trim()
  .max(1024)
  .regex(/^(https?:\/\/[^\s]+|ssh:\/\/[^\s]+|git@[^\s:]+:[^\s]+)$/, 'an https://, ssh:// or git@host:path repository address');

/** Apps are named like tree nodes and unique on their node. */
export const CreateAppBody = z.strictObject({
  name: TreeNodeName,
  /** On update: moves the app to another node. */
  nodeId: Id,
  description: Description.optional(),
  ownerIds: z.array(Id).max(32).optional(),
  repoUrl: RepoUrl.or(z.literal('')).optional(),
  runtime: AppRuntime.optional(),
  ports: z.array(AppPort).max(64).optional(),
  labels: Labels.optional(),
});
export type CreateAppBody = z.infer<typeof CreateAppBody>;

export const UpdateAppBody = CreateAppBody.partial();
export type UpdateAppBody = z.infer<typeof UpdateAppBody>;

export const AppView = z.object({
  id: z.string(),
  name: z.string(),
  /** Null once its node was deleted with cascade: the app waits to be placed again. */
  node: NodeRef.nullable(),
  description: z.string(),
  owners: z.array(Owner),
  repoUrl: z.string(),
  runtime: AppRuntime,
  ports: z.array(AppPort),
  labels: z.record(z.string(), z.string()),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type AppView = z.infer<typeof AppView>;

/** Paged by name. */
export const AppListQuery = PageQuery.extend({
  nodeId: Id.optional(),
  descendants: TrueFalse,
  /** Part of the name, case-insensitive. */
  q: z.string().trim().max(256).optional(),
  runtime: AppRuntime.optional(),
});
export type AppListQuery = z.infer<typeof AppListQuery>;
