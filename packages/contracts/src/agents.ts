import { z } from 'zod';
import { Id, IsoDate, Name, PageQuery } from './common.js';
import { ExecTask, TaskStatus } from './exec.js';

/** An enrollment token: what an agent trades for its identity the first time it starts. */
export const CreateEnrollmentTokenBody = z.strictObject({
  name: Name.optional(),
  /** Seconds until the token stops working: 1 minute to 30 days. */
  expiresInSec: z.number().int().min(60).max(30 * 86_400),
  /** How many agents may enroll with it. */
  maxUses: z.number().int().min(1).max(10_000),
  /** The leaf node new hosts are bound to. */
  nodeId: Id.optional(),
});
export type CreateEnrollmentTokenBody = z.infer<typeof CreateEnrollmentTokenBody>;

export const EnrollmentTokenView = z.object({
  id: z.string(),
  name: z.string(),
  /** The first characters, to tell tokens apart; the token itself is shown once. */
  prefix: z.string(),
  node: z.object({ id: z.string(), path: z.string() }).nullable(),
  maxUses: z.number().int(),
  uses: z.number().int(),
  expiresAt: IsoDate,
  createdBy: z.string().nullable(),
  createdAt: IsoDate,
  /** `active` until it expires, is used up or is deleted. */
  state: z.enum(['active', 'expired', 'used_up']),
});
export type EnrollmentTokenView = z.infer<typeof EnrollmentTokenView>;

/** The answer to creating a token: the only time the token is shown. */
export const CreatedEnrollmentToken = EnrollmentTokenView.extend({
  token: z.string(),
  /** The port agents dial (on the server's address), for the commands shown beside the token. */
  grpcPort: z.number().int(),
});
export type CreatedEnrollmentToken = z.infer<typeof CreatedEnrollmentToken>;

export const AGENT_STATUSES = ['online', 'offline', 'revoked'] as const;
export const AgentStatus = z.enum(AGENT_STATUSES);
export type AgentStatus = z.infer<typeof AgentStatus>;

/** The latest figures an agent sent (history comes with the metrics module). */
export const AgentMetrics = z.object({
  collectedAt: IsoDate,
  cpuPercent: z.number(),
  memoryUsedBytes: z.number(),
  memoryTotalBytes: z.number(),
  load1: z.number(),
  load5: z.number(),
  load15: z.number(),
  disks: z.array(z.object({ mount: z.string(), usedBytes: z.number(), totalBytes: z.number() })),
  networkRxBytes: z.number(),
  networkTxBytes: z.number(),
});
export type AgentMetrics = z.infer<typeof AgentMetrics>;

export const AgentView = z.object({
  id: z.string(),
  hostId: z.string().nullable(),
  hostname: z.string(),
  version: z.string(),
  status: AgentStatus,
  lastSeenAt: IsoDate.nullable(),
  enrolledAt: IsoDate,
  revokedAt: IsoDate.nullable(),
  metrics: AgentMetrics.nullable(),
});
export type AgentView = z.infer<typeof AgentView>;

export const AgentListQuery = PageQuery.extend({
  status: AgentStatus.optional(),
  /** Part of the hostname. */
  q: z.string().trim().max(256).optional(),
});
export type AgentListQuery = z.infer<typeof AgentListQuery>;

/** Run one script on several hosts now (ad hoc). */
export const ExecBody = ExecTask.extend({
  hostIds: z.array(Id).min(1).max(1000),
});
export type ExecBody = z.infer<typeof ExecBody>;

export const EXEC_TASK_STATES = ['queued', 'running', ...TaskStatus.options] as const;
export const ExecTaskState = z.enum(EXEC_TASK_STATES);
export type ExecTaskState = z.infer<typeof ExecTaskState>;

export const ExecTaskView = z.object({
  id: z.string(),
  /** The POST /exec call (or job step) the task belongs to. */
  runId: z.string(),
  hostId: z.string(),
  hostname: z.string(),
  executor: z.enum(['agent', 'ssh']),
  status: ExecTaskState,
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  stdoutBytes: z.number().int(),
  stderrBytes: z.number().int(),
  error: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: IsoDate,
  startedAt: IsoDate.nullable(),
  finishedAt: IsoDate.nullable(),
});
export type ExecTaskView = z.infer<typeof ExecTaskView>;

/** What POST /exec answers: the run (all its tasks, to follow at once) and one task per host. */
export const ExecStarted = z.object({ runId: z.string(), taskIds: z.array(z.string()) });
export type ExecStarted = z.infer<typeof ExecStarted>;

/** One call of POST /exec: how many of its tasks are in each state. */
export const ExecRunView = z.object({
  id: z.string(),
  total: z.number().int(),
  /** Tasks with a result (any final status). */
  done: z.number().int(),
  counts: z.record(ExecTaskState, z.number().int()),
  createdBy: z.string().nullable(),
  createdAt: IsoDate,
  /** When the last task finished; null while any is queued or running. */
  finishedAt: IsoDate.nullable(),
});
export type ExecRunView = z.infer<typeof ExecRunView>;

/** A run's tasks, a page at a time; output is cut to its last characters (the task itself has the last 1 MiB). */
export const ExecRunTasksQuery = PageQuery.extend({ status: ExecTaskState.optional() });
export type ExecRunTasksQuery = z.infer<typeof ExecRunTasksQuery>;

/** How much of each stream a run's task list carries. */
export const RUN_TASK_TAIL_CHARS = 2000;
export const ExecRunTask = ExecTaskView.extend({ outputCut: z.boolean() });
export type ExecRunTask = z.infer<typeof ExecRunTask>;

/** How the server reaches an agentless host over SSH. The secret is write-only. */
export const SetSshCredentialBody = z
  .strictObject({
    username: z.string().min(1).max(32).regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'a Unix user name'),
    port: z.number().int().min(1).max(65535).default(22),
    /** The address to dial; the host's first IP when absent. */
    address: z.string().trim().min(1).max(253).optional(),
    password: z.string().min(1).max(1024).optional(),
    /** PEM or OpenSSH private key text. */
    privateKey: z.string().min(1).max(16 * 1024).optional(),
    passphrase: z.string().max(1024).optional(),
    /** Pin the host key: `SHA256:…` as `ssh-keygen -l` prints it. */
    hostKeySha256: z.string().trim().regex(/^(SHA256:)?[A-Za-z0-9+/]{43}=?$/, 'a SHA256 fingerprint as ssh-keygen -l prints it').optional(),
  })
  .refine((b) => (b.password === undefined) !== (b.privateKey === undefined), { message: 'give a password or a private key, not both', path: ['password'] });
export type SetSshCredentialBody = z.infer<typeof SetSshCredentialBody>;

export const SshCredentialView = z.object({
  hostId: z.string(),
  username: z.string(),
  port: z.number().int(),
  address: z.string().nullable(),
  authMethod: z.enum(['password', 'key']),
  hostKeySha256: z.string().nullable(),
  updatedAt: IsoDate,
});
export type SshCredentialView = z.infer<typeof SshCredentialView>;
