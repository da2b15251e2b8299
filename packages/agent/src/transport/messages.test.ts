import { loadSync, type MessageTypeDefinition } from '@grpc/proto-loader';
import { describe, expect, it } from 'vitest';
import type * as M from './messages.js';
import { defaultProtoPath, PROTO_LOADER_OPTIONS } from './proto.js';

/**
 * messages.ts is written by hand: one complete sample per message, typed
 * with `satisfies` (so it has exactly the interface's fields), compared
 * with the fields agent.proto declares. A field added on either side fails here.
 */
const pkg = loadSync(defaultProtoPath(), PROTO_LOADER_OPTIONS);
const protoFields = (name: string) =>
  ((pkg[`opsline.agent.v1.${name}`] as MessageTypeDefinition<object, object>).type as { field: { name: string }[] }).field
    .map((f) => f.name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()))
    .sort();

const disk = { mount: '/', device: '/dev/sda1', fsType: 'ext4', totalBytes: 1 } satisfies M.WireDiskFacts;
const facts = {
  hostname: 'h', ips: [], os: '', kernel: '', arch: '', cpuModel: '', cpuCores: 1, memoryTotalBytes: 1, disks: [disk], machineId: '', serial: '', factsHash: '',
} satisfies M.WireFacts;

const samples: Record<string, object> = {
  EnrollRequest: { enrollmentToken: '', hostname: '', machineId: '', facts, agentVersion: '', enrollmentId: '' } satisfies M.EnrollRequest,
  EnrollResponse: { agentId: '', agentSecret: '', nodeId: '' } satisfies M.EnrollResponse,
  Hello: { agentId: '', agentSecret: '', agentVersion: '', hostname: '', factsHash: '', runningTaskIds: [], maxTasks: 1 } satisfies M.WireHello,
  Facts: facts,
  DiskFacts: disk,
  Heartbeat: { sentAtUnixMs: 1, runningTasks: 0, queuedTasks: 0 } satisfies M.WireHeartbeat,
  Metrics: {
    collectedAtUnixMs: 1, cpuPercent: 0, memoryUsedBytes: 0, memoryTotalBytes: 0, load1: 0, load5: 0, load15: 0, disks: [], networkRxBytes: 0, networkTxBytes: 0,
  } satisfies M.WireMetrics,
  DiskUsage: { mount: '/', usedBytes: 0, totalBytes: 0 } satisfies M.WireDiskUsage,
  TaskOutput: { taskId: '', stream: 'OUTPUT_STREAM_STDOUT', seq: 1, offset: 0, data: Buffer.alloc(0) } satisfies M.WireTaskOutput,
  TaskResult: {
    taskId: '', status: 'TASK_STATUS_LOST', exitCode: 0, hasExitCode: false, signal: '', stdoutTail: Buffer.alloc(0), stderrTail: Buffer.alloc(0),
    stdoutTotalBytes: 0, stderrTotalBytes: 0, startedAtUnixMs: 0, finishedAtUnixMs: 0, error: '',
  } satisfies M.WireTaskResult,
  Ack: { messageId: '', error: '' } satisfies M.WireAck,
  Welcome: { serverTimeUnixMs: 0, sendFacts: false, heartbeatIntervalSec: 0, metricsIntervalSec: 0, abandonedTaskIds: [] } satisfies M.WireWelcome,
  TaskAssign: { taskId: '', script: '', interpreter: '', args: [], env: {}, params: {}, runAs: '', workdir: '', timeoutSec: 0 } satisfies M.WireTaskAssign,
  TaskKill: { taskId: '', reason: '' } satisfies M.WireTaskKill,
  ResultAck: { taskId: '' } satisfies M.WireResultAck,
  Revoked: { reason: '' } satisfies M.WireRevoked,
  Error: { code: '', message: '', fatal: false } satisfies M.WireError,
};

describe('messages.ts matches agent.proto', () => {
  it.each(Object.keys(samples))('%s has the fields the proto declares', (name) => {
    expect(Object.keys(samples[name] ?? {}).sort()).toEqual(protoFields(name));
  });

  it('names every oneof member of AgentMessage and ServerMessage', () => {
    const agentBodies: M.ReceivedAgentMessage['body'][] = ['hello', 'facts', 'heartbeat', 'metrics', 'taskOutput', 'taskResult', 'ack'];
    const serverBodies: M.ReceivedServerMessage['body'][] = ['welcome', 'taskAssign', 'taskKill', 'resultAck', 'revoked', 'error'];
    expect(protoFields('AgentMessage')).toEqual([...agentBodies].sort());
    expect(protoFields('ServerMessage')).toEqual(['messageId', ...serverBodies].sort());
  });
});
