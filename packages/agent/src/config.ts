import { hostname as osHostname } from 'node:os';
import { z } from 'zod';
import { DEFAULT_MAX_TASKS } from './executor/index.js';
import { createJsonLogger, type Logger } from './logger.js';

/** Where the agent keeps its identity, task records and tmp dir unless told otherwise. */
export const DEFAULT_STATE_DIR = '/var/lib/opsline-agent';
/** The server's gRPC port when the address names none (OPSLINE_GRPC_PORT's default). */
export const DEFAULT_GRPC_PORT = 9090;
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 15_000;
/** Facts (disks, IPs) change rarely: re-collected this often, sent only when their hash changes. */
export const DEFAULT_FACTS_INTERVAL_MS = 5 * 60_000;
export const DEFAULT_BACKOFF = { initialMs: 500, maxMs: 30_000 } as const;
/** On stop (SIGTERM), how long running tasks may go on before they are killed. */
export const DEFAULT_STOP_GRACE_MS = 30_000;

/** What `createAgent` takes. Only `server` is required; an enrollment token only before the first enrollment. */
export interface AgentOptions {
  /** `grpc://host:port`, or `grpcs://host:port` for TLS. */
  server: string;
  /** The one-time enrollment token; ignored once the state dir holds an identity. */
  enrollmentToken?: string;
  stateDir?: string;
  /** Overrides the reported hostname and the machine identity (several agents on one machine). */
  hostname?: string;
  maxTasks?: number;
  /** TLS: a PEM CA bundle to trust instead of the system's (pins the server's CA). */
  caFile?: string;
  /** TLS: the name the server certificate must carry, when it differs from the address's host. */
  serverName?: string;
  /** Heartbeat period; Welcome may override it. */
  heartbeatIntervalMs?: number;
  /** Metrics period (default: the heartbeat's); Welcome may override it. */
  metricsIntervalMs?: number;
  factsIntervalMs?: number;
  /** Reconnect delays: jittered exponential from initialMs, capped at maxMs. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Default for `stop()`'s grace period. */
  stopGraceMs?: number;
  /** Executor: SIGTERM → SIGKILL grace of a task's process group. */
  killGraceMs?: number;
  logger?: Logger;
  /** The protocol file; defaults to the repository's proto/agent/v1/agent.proto. */
  protoPath?: string;
}

/** A parsed server address: what grpc-js dials and whether over TLS. */
export interface ServerAddress {
  target: string;
  tls: boolean;
}

export interface AgentConfig {
  server: ServerAddress;
  enrollmentToken: string | undefined;
  stateDir: string;
  hostname: string;
  hostnameOverridden: boolean;
  maxTasks: number;
  caFile: string | undefined;
  serverName: string | undefined;
  heartbeatIntervalMs: number;
  metricsIntervalMs: number;
  factsIntervalMs: number;
  backoff: { initialMs: number; maxMs: number };
  stopGraceMs: number;
  killGraceMs: number | undefined;
  logger: Logger;
  protoPath: string | undefined;
}

/** A bad option; `option` names it as the caller wrote it (main.ts maps it to its flag). */
export class AgentConfigError extends Error {
  override readonly name = 'AgentConfigError';
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
  }
}

/** Parses `grpc://host:port` / `grpcs://host:port` (port defaults to 9090). */
export function parseServerAddress(address: string): ServerAddress {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new AgentConfigError('server', `"${address}" is not an address like grpc://host:9090 or grpcs://host:9090`);
  }
  if (url.protocol !== 'grpc:' && url.protocol !== 'grpcs:') {
    throw new AgentConfigError('server', `"${address}" must start with grpc:// or grpcs://`);
  }
  if (!url.hostname) throw new AgentConfigError('server', `"${address}" names no host`);
  if ((url.pathname !== '' && url.pathname !== '/') || url.search || url.hash || url.username) {
    throw new AgentConfigError('server', `"${address}" must be just scheme://host:port`);
  }
  return { target: `${url.hostname}:${url.port || DEFAULT_GRPC_PORT}`, tls: url.protocol === 'grpcs:' };
}

const positiveMs = z.number().int().min(1).max(24 * 3600_000);
const Scalars = z.object({
  stateDir: z.string().min(1).refine((p) => p.startsWith('/'), 'an absolute path').optional(),
  hostname: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/, 'letters, digits, dots and dashes')
    .optional(),
  maxTasks: z.number().int().min(1).max(10_000).optional(),
  enrollmentToken: z.string().min(1).max(4096).optional(),
  caFile: z.string().min(1).optional(),
  serverName: z.string().min(1).max(253).optional(),
  heartbeatIntervalMs: positiveMs.optional(),
  metricsIntervalMs: positiveMs.optional(),
  factsIntervalMs: positiveMs.optional(),
  stopGraceMs: z.number().int().min(0).optional(),
  killGraceMs: z.number().int().min(0).optional(),
  backoff: z.object({ initialMs: positiveMs.optional(), maxMs: positiveMs.optional() }).optional(),
});

/** Validates options and fills in defaults; throws {@link AgentConfigError} naming the option. */
export function resolveAgentConfig(options: AgentOptions): AgentConfig {
  const server = parseServerAddress(options.server);
  const parsed = Scalars.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AgentConfigError(issue?.path.join('.') || 'options', issue?.message ?? 'invalid');
  }
  const o = parsed.data;
  if ((o.caFile || o.serverName) && !server.tls) {
    throw new AgentConfigError(o.caFile ? 'caFile' : 'serverName', 'only applies to a grpcs:// server');
  }
  const heartbeatIntervalMs = o.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  const initialMs = o.backoff?.initialMs ?? DEFAULT_BACKOFF.initialMs;
  const maxMs = Math.max(initialMs, o.backoff?.maxMs ?? DEFAULT_BACKOFF.maxMs);
  return Object.freeze({
    server,
    enrollmentToken: o.enrollmentToken,
    stateDir: o.stateDir ?? DEFAULT_STATE_DIR,
    hostname: o.hostname ?? osHostname(),
    hostnameOverridden: o.hostname !== undefined,
    maxTasks: o.maxTasks ?? DEFAULT_MAX_TASKS,
    caFile: o.caFile,
    serverName: o.serverName,
    heartbeatIntervalMs,
    metricsIntervalMs: o.metricsIntervalMs ?? heartbeatIntervalMs,
    factsIntervalMs: o.factsIntervalMs ?? DEFAULT_FACTS_INTERVAL_MS,
    backoff: { initialMs, maxMs },
    stopGraceMs: o.stopGraceMs ?? DEFAULT_STOP_GRACE_MS,
    killGraceMs: o.killGraceMs,
    logger: options.logger ?? createJsonLogger(),
    protoPath: options.protoPath,
  });
}
