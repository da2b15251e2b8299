import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { EventListQuery, EventStreamQuery, EventView, page } from '@opsline/contracts';
import type { PlatformServices } from '../services.js';

const HEARTBEAT_MS = 20_000;
/** A client that stops reading is cut off rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 1 << 20;
const BACKLOG_LIMIT = 500;

function matches(e: EventView, q: { type?: string | undefined; nodeId?: string | undefined }): boolean {
  if (q.nodeId && e.nodeId !== q.nodeId) return false;
  if (!q.type) return true;
  return q.type.endsWith('.') ? e.type.startsWith(q.type) : e.type === q.type;
}

export function eventRoutes(app: FastifyInstance, s: PlatformServices): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['events'];

  r.get('/api/v1/events', {
    schema: { tags, summary: 'The event timeline, newest first (type `user.` matches the family)', querystring: EventListQuery, response: { 200: page(EventView) } },
    config: { access: 'event:read' },
  }, (req) => s.events.list(req.query));

  r.get('/api/v1/events/stream', {
    schema: {
      tags,
      summary: 'Live events as Server-Sent Events; send Last-Event-ID to get what you missed',
      querystring: EventStreamQuery,
    },
    config: { access: 'event:read' },
  }, async (req, reply) => {
    const q = req.query;
    const lastId = Number(req.headers['last-event-id']);
    const backlog = Number.isSafeInteger(lastId) && lastId >= 0 ? await s.events.since(lastId, BACKLOG_LIMIT) : [];
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    let sentUpTo = Number.isSafeInteger(lastId) ? lastId : 0;
    const send = (e: EventView): void => {
      const id = Number(e.id);
      if (id <= sentUpTo || !matches(e, q)) return;
      sentUpTo = id;
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        res.destroy();
        return;
      }
      res.write(`id: ${e.id}\nevent: event\ndata: ${JSON.stringify(e)}\n\n`);
    };
    // Subscribe before replaying so nothing committed in between is missed; `sentUpTo` drops duplicates.
    const unsubscribe = s.bus.subscribe(send);
    res.write(': connected\nretry: 3000\n\n');
    for (const e of backlog) send(e);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const close = (): void => {
      clearInterval(heartbeat);
      unsubscribe();
    };
    res.on('close', close);
    res.on('error', close);
  });
}
