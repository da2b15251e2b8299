import { bigint, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { AgentMetrics } from '@opsline/contracts';
import { at, id } from '../../platform/db/columns.js';

/** One-time enrollment tokens, stored as SHA-256 hashes; they expire and count their uses. */
export const enrollmentTokens = pgTable('enrollment_tokens', {
  id: id(),
  name: text('name').notNull().default(''),
  tokenHash: text('token_hash').notNull().unique(),
  prefix: text('prefix').notNull(),
  /** The leaf node new hosts are bound to (a tree node id; the tree module owns nodes). */
  nodeId: uuid('node_id'),
  maxUses: integer('max_uses').notNull(),
  uses: integer('uses').notNull().default(0),
  expiresAt: at('expires_at').notNull(),
  createdBy: uuid('created_by'),
  createdAt: at('created_at').notNull(),
});

/** Enrolled agents. The secret is kept as a SHA-256 hash; revoked agents are refused. */
export const agents = pgTable(
  'agents',
  {
    id: id(),
    /** The CMDB host the agent reports for (the tree module owns hosts). */
    hostId: uuid('host_id'),
    hostname: text('hostname').notNull(),
    machineId: text('machine_id').notNull(),
    secretHash: text('secret_hash').notNull(),
    version: text('version').notNull().default(''),
    factsHash: text('facts_hash').notNull().default(''),
    metrics: jsonb('metrics').$type<AgentMetrics>(),
    tokenId: uuid('token_id'),
    /** The id the agent sent with Enroll: a retried Enroll gets this agent again (until it first connects). */
    enrollmentId: text('enrollment_id').unique(),
    enrolledAt: at('enrolled_at').notNull(),
    /** Its first Hello: from then on its enrollment cannot be replayed. */
    connectedAt: at('connected_at'),
    lastSeenAt: at('last_seen_at'),
    /** The server holding its stream now (null when none): with several servers, each sees who is online anywhere. */
    sessionServer: text('session_server'),
    revokedAt: at('revoked_at'),
  },
  (t) => [index('agents_hostname_idx').on(t.hostname), index('agents_host_idx').on(t.hostId)],
);

/** Tasks run on hosts (ad hoc or for jobs): the request, then the result recorded once. */
export const execTasks = pgTable(
  'exec_tasks',
  {
    id: id(),
    /** One call of POST /exec (or one job step): its tasks are followed together. */
    runId: uuid('run_id').notNull(),
    hostId: uuid('host_id').notNull(),
    hostname: text('hostname').notNull(),
    agentId: uuid('agent_id'),
    executor: text('executor').notNull(),
    script: text('script').notNull(),
    /** interpreter, args, runAs, workdir, timeoutSec; env and params sealed with the secrets box. */
    request: jsonb('request').$type<Record<string, unknown>>().notNull(),
    sealedEnv: text('sealed_env'),
    status: text('status').notNull(),
    exitCode: integer('exit_code'),
    signal: text('signal'),
    stdout: text('stdout').notNull().default(''),
    stderr: text('stderr').notNull().default(''),
    stdoutBytes: bigint('stdout_bytes', { mode: 'number' }).notNull().default(0),
    stderrBytes: bigint('stderr_bytes', { mode: 'number' }).notNull().default(0),
    error: text('error'),
    createdBy: uuid('created_by'),
    createdAt: at('created_at').notNull(),
    startedAt: at('started_at'),
    finishedAt: at('finished_at'),
  },
  (t) => [index('exec_tasks_run_idx').on(t.runId, t.id), index('exec_tasks_agent_status_idx').on(t.agentId, t.status), index('exec_tasks_host_idx').on(t.hostId, t.createdAt)],
);

/** Agentless hosts: how to reach them over SSH. The password or key is sealed with the secrets box. */
export const hostSshCredentials = pgTable('host_ssh_credentials', {
  hostId: uuid('host_id').primaryKey(),
  username: text('username').notNull(),
  port: integer('port').notNull(),
  address: text('address'),
  authMethod: text('auth_method').notNull(),
  sealedSecret: text('sealed_secret').notNull(),
  hostKeySha256: text('host_key_sha256'),
  updatedBy: uuid('updated_by'),
  updatedAt: at('updated_at').notNull(),
});
