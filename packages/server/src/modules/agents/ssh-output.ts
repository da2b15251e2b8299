import { DEFAULT_OUTPUT_LIMITS, type OutputChunk, type OutputLimits, type OutputSink } from '@opsline/agent';
import type { OutputStream } from '@opsline/contracts';

/**
 * The last `capacity` bytes of a stream, kept as the chunks that arrived,
 * plus the count of everything pushed. Offsets are positions in the whole
 * stream, as in the agent's TailBuffer (which its package does not export).
 */
class StreamTail {
  private chunks: Buffer[] = [];
  private held = 0;
  total = 0;

  constructor(readonly capacity: number) {}

  /** Stream offset of the oldest byte still held. */
  get start(): number {
    return this.total - this.held;
  }

  push(data: Buffer): void {
    this.total += data.length;
    // A copy: the caller's buffer may be a view of a larger one we must not pin.
    const own = Buffer.from(data.length > this.capacity ? data.subarray(data.length - this.capacity) : data);
    this.chunks.push(own);
    this.held += own.length;
    while (this.held > this.capacity) {
      const first = this.chunks[0] as Buffer;
      const excess = this.held - this.capacity;
      if (first.length <= excess) {
        this.chunks.shift();
        this.held -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.held -= excess;
      }
    }
  }

  /** Up to `maxBytes` from stream offset `from` (clamped to what is held); the offset it really starts at. */
  read(from: number, maxBytes: number): { offset: number; data: Buffer } {
    const offset = Math.min(Math.max(from, this.start), this.total);
    const parts: Buffer[] = [];
    let skip = offset - this.start;
    let want = Math.min(maxBytes, this.total - offset);
    for (const chunk of this.chunks) {
      if (want === 0) break;
      if (skip >= chunk.length) {
        skip -= chunk.length;
        continue;
      }
      const part = chunk.subarray(skip, skip + want);
      skip = 0;
      want -= part.length;
      parts.push(part);
    }
    return { offset, data: Buffer.concat(parts) };
  }
}

/** UTF-8 of a tail; a cut tail may start inside a character, whose leftover bytes are skipped. */
function decodeTail(tail: Buffer, wasCut: boolean): string {
  let skip = 0;
  if (wasCut) while (skip < 3 && skip < tail.length && ((tail[skip] ?? 0) & 0xc0) === 0x80) skip++;
  return tail.toString('utf8', skip);
}

interface StreamState {
  name: OutputStream;
  tail: StreamTail;
  sentUpTo: number;
  busy: boolean;
  timer: NodeJS.Timeout | undefined;
}

/**
 * One SSH task's stdout and stderr, with the agent's guarantees (its
 * TaskOutput is not exported): memory bounded by the tails whatever the task
 * prints; chunks of at most `flushBytes` handed to the sink, by size or after
 * `flushIntervalMs`; the channel is never paused for a slow sink (a task must
 * not stall on the server), so while the sink is busy the oldest unsent bytes
 * may be overwritten and the next chunk's `offset` shows the gap. The
 * result's tails and byte counts stay exact.
 */
export class SshTaskOutput {
  private readonly streams: Record<OutputStream, StreamState>;
  private readonly limits: OutputLimits;
  private seq = 0;
  private sinkFailed = false;
  private finishing = false;
  private idle: (() => void) | undefined;

  constructor(
    private readonly sink: OutputSink | undefined,
    limits: Partial<OutputLimits> = {},
  ) {
    this.limits = { ...DEFAULT_OUTPUT_LIMITS, ...limits };
    const state = (name: OutputStream): StreamState => ({ name, tail: new StreamTail(this.limits.tailBytes), sentUpTo: 0, busy: false, timer: undefined });
    this.streams = { stdout: state('stdout'), stderr: state('stderr') };
  }

  write(stream: OutputStream, data: Buffer): void {
    if (data.length === 0) return;
    const s = this.streams[stream];
    s.tail.push(data);
    this.pump(s, this.finishing);
  }

  /** Sends what is still waiting; resolves once the sink has taken it. */
  finish(): Promise<void> {
    this.finishing = true;
    for (const s of Object.values(this.streams)) this.pump(s, true);
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => (this.idle = resolve));
  }

  summary(): { stdout: string; stderr: string; stdoutBytes: number; stderrBytes: number } {
    const text = (s: StreamState) => decodeTail(s.tail.read(s.tail.start, s.tail.capacity).data, s.tail.start > 0);
    const { stdout, stderr } = this.streams;
    return { stdout: text(stdout), stderr: text(stderr), stdoutBytes: stdout.tail.total, stderrBytes: stderr.tail.total };
  }

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
