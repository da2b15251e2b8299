import type { FastifyReply } from 'fastify';

/** A slow reader loses its stream rather than the server's memory. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const HEARTBEAT_MS = 15_000;

export interface SseStream {
  /** Sends one event; false when the stream is gone (closed, or dropped for reading too slowly). */
  send(event: string, data: unknown, id?: string): boolean;
  end(): void;
  /** Called once when the client goes away or the stream ends. */
  onClose(fn: () => void): void;
}

/** Takes over the reply as a Server-Sent Events stream, with a keep-alive comment every 15 s. */
export function openSse(reply: FastifyReply): SseStream {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write(': connected\nretry: 3000\n\n');
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  const closers: (() => void)[] = [() => clearInterval(heartbeat)];
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    for (const fn of closers) fn();
  };
  res.on('close', close);
  res.on('error', close);
  return {
    send(event, data, id) {
      if (closed || res.writableEnded || res.destroyed) return false;
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        res.destroy();
        return false;
      }
      res.write(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      return true;
    },
    end() {
      if (!res.writableEnded) res.end();
      close();
    },
    onClose(fn) {
      closers.push(fn);
    },
  };
}
