/**
 * The agent.proto messages as @grpc/proto-loader hands them over with
 * {@link PROTO_LOADER_OPTIONS} (camelCase fields, 64-bit integers as numbers,
 * enums as their names, defaults filled in, the set oneof member named in
 * `body`, bytes as Buffer). agent-proto.test.ts checks these against the
 * .proto file so the two cannot drift apart.
 */

export interface WireDiskFacts {
  mount: string;
  device: string;
  fsType: string;
  totalBytes: number;
}

export interface WireFacts {
  hostname: string;
  ips: string[];
  os: string;
  kernel: string;
  arch: string;
  cpuModel: string;
  cpuCores: number;
  memoryTotalBytes: number;
  disks: WireDiskFacts[];
  machineId: string;
  serial: string;
  factsHash: string;
}

export interface EnrollRequest {
  enrollmentToken: string;
  hostname: string;
  machineId: string;
  facts: WireFacts;
  agentVersion: string;
  enrollmentId: string;
}

export interface EnrollResponse {
  agentId: string;
  agentSecret: string;
  nodeId: string;
}

export interface WireHello {
  agentId: string;
  agentSecret: string;
  agentVersion: string;
  hostname: string;
  factsHash: string;
  runningTaskIds: string[];
  maxTasks: number;
}

export interface WireHeartbeat {
  sentAtUnixMs: number;
  runningTasks: number;
  queuedTasks: number;
}

export interface WireDiskUsage {
  mount: string;
  usedBytes: number;
  totalBytes: number;
}

export interface WireMetrics {
  collectedAtUnixMs: number;
  cpuPercent: number;
  memoryUsedBytes: number;
  memoryTotalBytes: number;
  load1: number;
  load5: number;
  load15: number;
  disks: WireDiskUsage[];
  networkRxBytes: number;
  networkTxBytes: number;
}

export type WireOutputStream = 'OUTPUT_STREAM_UNSPECIFIED' | 'OUTPUT_STREAM_STDOUT' | 'OUTPUT_STREAM_STDERR';

export interface WireTaskOutput {
  taskId: string;
  stream: WireOutputStream;
  seq: number;
  offset: number;
  data: Buffer;
}

export type WireTaskStatus =
  | 'TASK_STATUS_UNSPECIFIED'
  | 'TASK_STATUS_SUCCESS'
  | 'TASK_STATUS_FAILED'
  | 'TASK_STATUS_TIMEOUT'
  | 'TASK_STATUS_KILLED'
  | 'TASK_STATUS_LOST';

export interface WireTaskResult {
  taskId: string;
  status: WireTaskStatus;
  exitCode: number;
  hasExitCode: boolean;
  signal: string;
  stdoutTail: Buffer;
  stderrTail: Buffer;
  stdoutTotalBytes: number;
  stderrTotalBytes: number;
  startedAtUnixMs: number;
  finishedAtUnixMs: number;
  error: string;
}

export interface WireAck {
  messageId: string;
  error: string;
}

/** What the agent writes on Connect: exactly one member set. */
export type AgentMessage =
  | { hello: WireHello }
  | { facts: WireFacts }
  | { heartbeat: WireHeartbeat }
  | { metrics: WireMetrics }
  | { taskOutput: WireTaskOutput }
  | { taskResult: WireTaskResult }
  | { ack: WireAck };

/** The same, as a reader (the test server) receives it: `body` names the member. */
export type ReceivedAgentMessage =
  | { body: 'hello'; hello: WireHello }
  | { body: 'facts'; facts: WireFacts }
  | { body: 'heartbeat'; heartbeat: WireHeartbeat }
  | { body: 'metrics'; metrics: WireMetrics }
  | { body: 'taskOutput'; taskOutput: WireTaskOutput }
  | { body: 'taskResult'; taskResult: WireTaskResult }
  | { body: 'ack'; ack: WireAck };

export interface WireWelcome {
  serverTimeUnixMs: number;
  sendFacts: boolean;
  heartbeatIntervalSec: number;
  metricsIntervalSec: number;
  abandonedTaskIds: string[];
}

export interface WireTaskAssign {
  taskId: string;
  script: string;
  interpreter: string;
  args: string[];
  env: Record<string, string>;
  params: Record<string, string>;
  runAs: string;
  workdir: string;
  timeoutSec: number;
}

export interface WireTaskKill {
  taskId: string;
  reason: string;
}

export interface WireResultAck {
  taskId: string;
}

export interface WireRevoked {
  reason: string;
}

export interface WireError {
  code: string;
  message: string;
  fatal: boolean;
}

/** What the server writes on Connect. */
export type ServerMessageBody =
  | { welcome: WireWelcome }
  | { taskAssign: WireTaskAssign }
  | { taskKill: WireTaskKill }
  | { resultAck: WireResultAck }
  | { revoked: WireRevoked }
  | { error: WireError };

/** A server message as the agent receives it: `body` names the member that is set. */
export type ReceivedServerMessage = { messageId: string } & (
  | { body: 'welcome'; welcome: WireWelcome }
  | { body: 'taskAssign'; taskAssign: WireTaskAssign }
  | { body: 'taskKill'; taskKill: WireTaskKill }
  | { body: 'resultAck'; resultAck: WireResultAck }
  | { body: 'revoked'; revoked: WireRevoked }
  | { body: 'error'; error: WireError }
);
