import { OUTPUT_TAIL_BYTES, type TaskResult, type TaskStatus } from '@opsline/contracts';
import type { UncheckedTask } from '../assigned-tasks.js';
import type { HostFacts } from '../collectors/facts.js';
import type { HostMetrics } from '../collectors/metrics.js';
import type { OutputChunk } from '../executor/index.js';
import type { WireFacts, WireMetrics, WireTaskAssign, WireTaskOutput, WireTaskResult, WireTaskStatus } from './messages.js';

/** Between the agent's own types and agent.proto's messages. */

export function toWireFacts(facts: HostFacts, factsHash: string): WireFacts {
  return { ...facts, disks: facts.disks.map((d) => ({ ...d })), factsHash };
}

export function toWireMetrics(m: HostMetrics): WireMetrics {
  return { ...m, disks: m.disks.map((d) => ({ ...d })) };
}

export function toWireOutput(taskId: string, chunk: OutputChunk): WireTaskOutput {
  return {
    taskId,
    stream: chunk.stream === 'stdout' ? 'OUTPUT_STREAM_STDOUT' : 'OUTPUT_STREAM_STDERR',
    seq: chunk.seq,
    offset: chunk.offset,
    data: chunk.data,
  };
}

const STATUS: Record<TaskStatus, WireTaskStatus> = {
  success: 'TASK_STATUS_SUCCESS',
  failed: 'TASK_STATUS_FAILED',
  timeout: 'TASK_STATUS_TIMEOUT',
  killed: 'TASK_STATUS_KILLED',
  lost: 'TASK_STATUS_LOST',
};

export function toWireResult(r: TaskResult): WireTaskResult {
  return {
    taskId: r.taskId,
    status: STATUS[r.status],
    exitCode: r.exitCode ?? 0,
    hasExitCode: r.exitCode !== null,
    signal: r.signal ?? '',
    stdoutTail: tailBytes(r.stdout),
    stderrTail: tailBytes(r.stderr),
    stdoutTotalBytes: r.stdoutBytes,
    stderrTotalBytes: r.stderrBytes,
    startedAtUnixMs: r.startedAt ?? 0,
    finishedAtUnixMs: r.finishedAt,
    error: r.error ?? '',
  };
}

/**
 * A tail as bytes, at most OUTPUT_TAIL_BYTES as the proto promises. The tail
 * was decoded as UTF-8; bytes that were not UTF-8 came back as U+FFFD (3
 * bytes each), so re-encoding can grow it: cut from the front, on a
 * character boundary.
 */
export function tailBytes(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= OUTPUT_TAIL_BYTES) return bytes;
  let start = bytes.length - OUTPUT_TAIL_BYTES;
  while (start < bytes.length && ((bytes[start] ?? 0) & 0xc0) === 0x80) start++;
  return bytes.subarray(start);
}

/**
 * A TaskAssign as a task to validate. proto3 cannot tell "unset" from empty
 * or 0, so those mean "not given": no interpreter (follow the #! line), the
 * agent's user, the user's home, the default timeout.
 */
export function fromWireAssign(a: WireTaskAssign): UncheckedTask {
  return {
    taskId: a.taskId,
    script: a.script,
    interpreter: a.interpreter === '' ? undefined : a.interpreter,
    args: a.args,
    env: a.env,
    params: a.params,
    runAs: a.runAs === '' ? undefined : a.runAs,
    workdir: a.workdir === '' ? undefined : a.workdir,
    timeoutSec: a.timeoutSec === 0 ? undefined : a.timeoutSec,
  };
}
