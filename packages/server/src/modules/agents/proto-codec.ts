import type { AgentMetrics, TaskAssignment, TaskResult, TaskStatus } from '@opsline/contracts';
import type { AgentHostFacts } from '../tree/index.js';

/** proto/agent/v1/agent.proto as @grpc/proto-loader hands it over (camelCase, longs as numbers, enums as names). */
export interface ProtoFacts {
  hostname: string;
  ips: string[];
  os: string;
  kernel: string;
  arch: string;
  cpuModel: string;
  cpuCores: number;
  memoryTotalBytes: number;
  disks: { mount: string; device: string; fsType: string; totalBytes: number }[];
  machineId: string;
  serial: string;
  factsHash: string;
}

export interface AgentMessage {
  hello?: { agentId: string; agentSecret: string; agentVersion: string; hostname: string; factsHash: string; runningTaskIds: string[]; maxTasks: number };
  facts?: ProtoFacts;
  heartbeat?: { sentAtUnixMs: number; runningTasks: number; queuedTasks: number };
  metrics?: {
    collectedAtUnixMs: number; cpuPercent: number; memoryUsedBytes: number; memoryTotalBytes: number; load1: number; load5: number; load15: number;
    disks: { mount: string; usedBytes: number; totalBytes: number }[]; networkRxBytes: number; networkTxBytes: number;
  };
  taskOutput?: { taskId: string; stream: string; seq: number; offset: number; data: Buffer };
  taskResult?: {
    taskId: string; status: string; exitCode: number; hasExitCode: boolean; signal: string; stdoutTail: Buffer; stderrTail: Buffer;
    stdoutTotalBytes: number; stderrTotalBytes: number; startedAtUnixMs: number; finishedAtUnixMs: number; error: string;
  };
  ack?: { messageId: string; error: string };
}

export interface ServerMessage {
  messageId: string;
  welcome?: { serverTimeUnixMs: number; sendFacts: boolean; heartbeatIntervalSec: number; metricsIntervalSec: number; abandonedTaskIds: string[] };
  taskAssign?: ReturnType<typeof toTaskAssign>;
  taskKill?: { taskId: string; reason: string };
  resultAck?: { taskId: string };
  revoked?: { reason: string };
  error?: { code: string; message: string; fatal: boolean };
}

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** What the CMDB keeps of an agent's facts (sizes in GB/MB as hosts store them). */
export function factsFromProto(f: ProtoFacts | undefined, hostname: string): AgentHostFacts {
  return {
    hostname: f?.hostname || hostname,
    ips: f?.ips ?? [],
    os: [f?.os, f?.kernel].filter(Boolean).join(' / ').slice(0, 128),
    cpuCores: f?.cpuCores ?? 0,
    memoryMb: Math.round((f?.memoryTotalBytes ?? 0) / MIB),
    disks: (f?.disks ?? []).filter((d) => d.totalBytes > 0).slice(0, 64).map((d) => ({ mount: d.mount, sizeGb: Math.max(0.01, Math.round((d.totalBytes / GIB) * 100) / 100) })),
  };
}

export function metricsFromProto(m: NonNullable<AgentMessage['metrics']>): AgentMetrics {
  return {
    collectedAt: new Date(m.collectedAtUnixMs || Date.now()).toISOString(), cpuPercent: m.cpuPercent, memoryUsedBytes: m.memoryUsedBytes,
    memoryTotalBytes: m.memoryTotalBytes, load1: m.load1, load5: m.load5, load15: m.load15,
    disks: m.disks.map((d) => ({ mount: d.mount, usedBytes: d.usedBytes, totalBytes: d.totalBytes })),
    networkRxBytes: m.networkRxBytes, networkTxBytes: m.networkTxBytes,
  };
}

const STATUS: Record<string, TaskStatus> = {
  TASK_STATUS_SUCCESS: 'success', TASK_STATUS_FAILED: 'failed', TASK_STATUS_TIMEOUT: 'timeout', TASK_STATUS_KILLED: 'killed', TASK_STATUS_LOST: 'lost',
};

export function resultFromProto(r: NonNullable<AgentMessage['taskResult']>): TaskResult {
  return {
    taskId: r.taskId, status: STATUS[r.status] ?? 'failed', exitCode: r.hasExitCode ? r.exitCode : null, signal: r.signal || null,
    stdout: r.stdoutTail.toString('utf8'), stderr: r.stderrTail.toString('utf8'), stdoutBytes: r.stdoutTotalBytes, stderrBytes: r.stderrTotalBytes,
    startedAt: r.startedAtUnixMs || null, finishedAt: r.finishedAtUnixMs || Date.now(), error: r.error || null,
  };
}

export function toTaskAssign(t: TaskAssignment) {
  return {
    taskId: t.taskId, script: t.script, interpreter: t.interpreter ?? '', args: t.args, env: t.env, params: t.params, runAs: t.runAs ?? '',
    workdir: t.workdir ?? '', timeoutSec: t.timeoutSec,
  };
}
