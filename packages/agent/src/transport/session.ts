import { status as GrpcStatus, type ClientDuplexStream, type StatusObject } from '@grpc/grpc-js';
import type { AgentServiceClient } from './channel.js';
import type { AgentMessage, ReceivedServerMessage } from './messages.js';

/** How a Connect stream ended. */
export type SessionEnd =
  /** The stream broke or the server closed it: reconnect. */
  | { kind: 'closed'; code: number; details: string }
  /** The server said Revoked: this identity is done. */
  | { kind: 'revoked'; reason: string }
  /** The server refused the identity (UNAUTHENTICATED, PERMISSION_DENIED): retrying cannot help. */
  | { kind: 'refused'; code: number; details: string }
  /** The agent closed it (stopping). */
  | { kind: 'stopped' };

/**
 * One Connect stream. Writes are fire-and-forget, except that `send`
 * reports a full buffer so output can wait for `writable()` (the executor
 * then coalesces output rather than letting it pile up in memory).
 */
export class AgentSession {
  readonly ended: Promise<SessionEnd>;
  private readonly call: ClientDuplexStream<AgentMessage, ReceivedServerMessage>;
  private endWith!: (end: SessionEnd) => void;
  private closed = false;
  private waiters: (() => void)[] = [];

  constructor(client: AgentServiceClient, onMessage: (message: ReceivedServerMessage) => void) {
    this.ended = new Promise((resolve) => (this.endWith = resolve));
    this.call = client.Connect();
    this.call.on('data', (message: ReceivedServerMessage) => {
      if (!this.closed) onMessage(message);
    });
    this.call.on('drain', () => this.wake());
    // A non-OK status arrives as 'error' too; 'status' carries every ending, so this only keeps it from being thrown.
    this.call.on('error', () => undefined);
    this.call.on('status', (s: StatusObject) => this.finish(endFromStatus(s)));
  }

  get open(): boolean {
    return !this.closed;
  }

  /** Writes a message; false when the stream is closed or its buffer is full. */
  send(message: AgentMessage): boolean {
    if (this.closed) return false;
    return this.call.write(message);
  }

  /** Resolves when the buffer has room again, or the stream has ended. */
  writable(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The server revoked this agent: end the stream, report why. */
  revoke(reason: string): void {
    this.finish({ kind: 'revoked', reason });
    this.call.cancel();
  }

  /** Gives the stream up (no Welcome in time): ends it as broken, so the agent reconnects. */
  fail(details: string): void {
    this.finish({ kind: 'closed', code: GrpcStatus.DEADLINE_EXCEEDED, details });
    this.call.cancel();
  }

  /** The agent is leaving: half-close politely, then cancel so nothing lingers. */
  close(): void {
    if (this.closed) return;
    this.finish({ kind: 'stopped' });
    this.call.end();
    this.call.cancel();
  }

  private finish(end: SessionEnd): void {
    if (this.closed) return;
    this.closed = true;
    this.wake();
    this.endWith(end);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

function endFromStatus(s: StatusObject): SessionEnd {
  if (s.code === GrpcStatus.UNAUTHENTICATED || s.code === GrpcStatus.PERMISSION_DENIED) {
    return { kind: 'refused', code: s.code, details: s.details };
  }
  return { kind: 'closed', code: s.code, details: s.details };
}
