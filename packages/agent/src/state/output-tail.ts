import type { OutputChunk } from '../executor/index.js';
import { decodeTail, TailBuffer } from '../executor/tail-buffer.js';
import type { TaskRecord } from './task-records.js';

/** Output a record keeps of a running task, per stream: enough to show how far it got, small enough to save often. */
export const SAVED_TAIL_BYTES = 64 * 1024;

/**
 * The end of a running task's output as the agent saw it stream by, kept to
 * be saved in its record now and then: if the agent dies, the `lost` result
 * it reports after restarting carries this.
 */
export class OutputTail {
  private readonly stdout = new TailBuffer(SAVED_TAIL_BYTES);
  private readonly stderr = new TailBuffer(SAVED_TAIL_BYTES);
  /** Stream lengths: a chunk's offset + size (chunks may skip bytes a slow stream dropped). */
  private stdoutBytes = 0;
  private stderrBytes = 0;
  private changed = false;

  add(chunk: OutputChunk): void {
    const end = chunk.offset + chunk.data.length;
    if (chunk.stream === 'stdout') {
      this.stdout.push(chunk.data);
      this.stdoutBytes = Math.max(this.stdoutBytes, end);
    } else {
      this.stderr.push(chunk.data);
      this.stderrBytes = Math.max(this.stderrBytes, end);
    }
    this.changed = true;
  }

  /** The record's `output`, or undefined when nothing changed since the last call. */
  takeChanges(now = Date.now()): TaskRecord['output'] {
    if (!this.changed) return undefined;
    this.changed = false;
    return {
      stdoutTail: this.stdout.tail().toString('base64'),
      stderrTail: this.stderr.tail().toString('base64'),
      stdoutBytes: this.stdoutBytes,
      stderrBytes: this.stderrBytes,
      savedAt: now,
    };
  }
}

/** A saved `output` as the text and byte counts a result carries. */
export function savedOutputText(output: TaskRecord['output']): { stdout: string; stderr: string; stdoutBytes: number; stderrBytes: number } {
  if (!output) return { stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0 };
  const stdout = Buffer.from(output.stdoutTail, 'base64');
  const stderr = Buffer.from(output.stderrTail, 'base64');
  return {
    stdout: decodeTail(stdout, output.stdoutBytes > stdout.length),
    stderr: decodeTail(stderr, output.stderrBytes > stderr.length),
    stdoutBytes: output.stdoutBytes,
    stderrBytes: output.stderrBytes,
  };
}
