import { OUTPUT_TAIL_BYTES, type OutputStream } from '@opsline/contracts';
import { decodeTail, TailBuffer } from './tail-buffer.js';

/** A piece of a running task's output, as TaskOutput in agent.proto carries it. */
export interface OutputChunk {
  stream: OutputStream;
  /** Per task, across both streams, from 1. */
  seq: number;
  /** Byte offset of `data` in its stream; a jump past the previous chunk's end marks dropped bytes. */
  offset: number;
  data: Buffer;
}

/**
 * Receives output chunks. Return a promise to say "busy until it settles"
 * (e.g. a gRPC write waiting for 'drain'); it must settle, and rejecting
 * stops further chunks for the task (the result's tails still hold the end).
 */
export type OutputSink = (chunk: OutputChunk) => void | Promise<void>;

export interface OutputLimits {
  /** Bytes of each stream kept for the result, and the most that may wait for a slow sink. */
  tailBytes: number;
  /** Chunks are sent once this much is waiting, and are at most this big. */
  flushBytes: number;
  /** Less than flushBytes waiting is sent after this long. */
  flushIntervalMs: number;
}

export const DEFAULT_OUTPUT_LIMITS: OutputLimits = {
  tailBytes: OUTPUT_TAIL_BYTES,
  flushBytes: 64 * 1024,
  flushIntervalMs: 100,
};

interface StreamState {
  name: OutputStream;
  tail: TailBuffer;
  /** Stream offset up to which output was handed to the sink (or skipped). */
  sentUpTo: number;
  busy: boolean;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Collects one task's stdout and stderr.
 *
 * Memory is bounded whatever the task prints: each stream has one ring of
 * `tailBytes` that is both the result's tail and the queue of output not yet
 * sent. The child's pipes are never paused (a task must not stall because the
 * server is slow or away); instead, while the sink is busy, new output
 * overwrites the oldest unsent bytes, and the next chunk starts at the oldest
 * byte still held, its `offset` showing the gap. So a slow sink sees a merged,
 * lossy live view, while the result's tails and byte counts stay exact.
 */
export class TaskOutput {
  private readonly streams: Record<OutputStream, StreamState>;
  private seq = 0;
  private sinkFailed = false;
  private finishing = false;
  private idle: (() => void) | undefined;

  constructor(
    private readonly sink: OutputSink | undefined,
    private readonly limits: OutputLimits = DEFAULT_OUTPUT_LIMITS,
  ) {
    const state = (name: OutputStream): StreamState => ({ name, tail: new TailBuffer(limits.tailBytes), sentUpTo: 0, busy: false, timer: undefined });
    this.streams = { stdout: state('stdout'), stderr: state('stderr') };
  }

  write(stream: OutputStream, data: Buffer): void {
    const s = this.streams[stream];
    s.tail.push(data);
    this.pump(s, this.finishing);
  }

  /** Sends everything still waiting and resolves once the sink has taken it. */
  finish(): Promise<void> {
    this.finishing = true;
    for (const s of Object.values(this.streams)) this.pump(s, true);
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => (this.idle = resolve));
  }

  /** The result's view: decoded tails and total byte counts. */
  summary(): { stdout: string; stderr: string; stdoutBytes: number; stderrBytes: number } {
    const { stdout, stderr } = this.streams;
    return {
      stdout: decodeTail(stdout.tail.tail(), stdout.tail.start > 0),
      stderr: decodeTail(stderr.tail.tail(), stderr.tail.start > 0),
      stdoutBytes: stdout.tail.total,
      stderrBytes: stderr.tail.total,
    };
  }

  /** Hands waiting output to the sink: only full chunks unless `all`. */
  private pump(s: StreamState, all: boolean): void {
    if (all && s.timer) {
      clearTimeout(s.timer);
      s.timer = undefined;
    }
    const { flushBytes } = this.limits;
    while (!s.busy) {
      if (!this.sink || this.sinkFailed) {
        s.sentUpTo = s.tail.total;
        break;
      }
      const waiting = s.tail.total - Math.max(s.sentUpTo, s.tail.start);
      if (waiting === 0 || (!all && waiting < flushBytes)) break;
      const { offset, data } = s.tail.read(s.sentUpTo, flushBytes);
      s.sentUpTo = offset + data.length;
      this.deliver(s, { stream: s.name, seq: ++this.seq, offset, data });
    }
    if (!s.busy && !s.timer && !this.finishing && s.tail.total > s.sentUpTo) {
      s.timer = setTimeout(() => {
        s.timer = undefined;
        this.pump(s, true);
      }, this.limits.flushIntervalMs);
    }
    this.notifyIfIdle();
  }

  private deliver(s: StreamState, chunk: OutputChunk): void {
    let pending: void | Promise<void>;
    try {
      pending = this.sink?.(chunk);
    } catch {
      this.sinkFailed = true;
      return;
    }
    if (!(pending instanceof Promise)) return;
    s.busy = true;
    const settle = (ok: boolean) => {
      s.busy = false;
      if (!ok) this.sinkFailed = true;
      // The sink was slow: whatever gathered meanwhile has waited long enough.
      this.pump(s, true);
    };
    pending.then(
      () => settle(true),
      () => settle(false),
    );
  }

  private isIdle(): boolean {
    return Object.values(this.streams).every((s) => !s.busy && s.sentUpTo >= s.tail.total);
  }

  private notifyIfIdle(): void {
    if (this.finishing && this.idle && this.isIdle()) {
      const resolve = this.idle;
      this.idle = undefined;
      resolve();
    }
  }
}
