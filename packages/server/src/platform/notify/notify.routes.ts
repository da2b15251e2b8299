import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, NotifyChannelBody, NotifyChannelView, NotifyDeliveryQuery, NotifyDeliveryView, Ok, PageQuery, page } from '@opsline/contracts';
import type { PlatformServices } from '../services.js';

const tags = ['notify'];

export function notifyRoutes(app: FastifyInstance, s: PlatformServices): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const notify = s.notify;

  r.get('/api/v1/notify-channels', {
    schema: { tags, summary: 'Notification channels (webhook header values are never answered)', querystring: PageQuery, response: { 200: page(NotifyChannelView) } },
    config: { access: 'notify:read' },
  }, (req) => notify.list(req.query));

  r.post('/api/v1/notify-channels', {
    schema: { tags, summary: 'Add a channel: a webhook (JSON POST) or email (through OPSLINE_SMTP_URL)', body: NotifyChannelBody, response: { 201: NotifyChannelView } },
    config: { access: 'notify:admin', audit: 'notify.channel.create' },
  }, async (req, reply) => reply.code(201).send(await req.mutate((ctx) => notify.create(ctx, req.body, req.caller().userId))));

  r.get('/api/v1/notify-channels/:id', {
    schema: { tags, summary: 'A channel', params: IdParams, response: { 200: NotifyChannelView } },
    config: { access: 'notify:read' },
  }, (req) => notify.get(req.params.id));

  r.put('/api/v1/notify-channels/:id', {
    schema: { tags, summary: 'Replace a channel (headers are sent again in full)', params: IdParams, body: NotifyChannelBody, response: { 200: NotifyChannelView } },
    config: { access: 'notify:admin', audit: 'notify.channel.update' },
  }, (req) => req.mutate((ctx) => notify.replace(ctx, req.params.id, req.body)));

  r.delete('/api/v1/notify-channels/:id', {
    schema: { tags, summary: 'Delete a channel', params: IdParams, response: { 200: Ok } },
    config: { access: 'notify:admin', audit: 'notify.channel.delete' },
  }, async (req) => {
    await req.mutate((ctx) => notify.remove(ctx, req.params.id));
    return { ok: true as const };
  });

  r.post('/api/v1/notify-channels/:id/test', {
    schema: { tags, summary: 'Send a test message; answers the delivery to follow', params: IdParams, response: { 202: z.object({ deliveryIds: z.array(z.string()) }) } },
    config: { access: 'notify:admin', audit: 'notify.channel.test' },
  }, async (req, reply) => {
    const c = await notify.get(req.params.id);
    const by = req.caller().username;
    const deliveryIds = await notify.send([c.id], { title: `Test from Opsline`, text: `${by} sent this to check the channel ${c.name}.`, severity: 'info', source: `test:${by}` });
    return reply.code(202).send(await req.mutate((ctx) => {
      Object.assign(ctx.audit, { targetType: 'notify_channel', targetId: c.id, after: { deliveryIds } });
      return Promise.resolve({ deliveryIds });
    }));
  });

  r.get('/api/v1/notify-deliveries', {
    schema: { tags, summary: 'What was sent where, newest first, and how it went', querystring: NotifyDeliveryQuery, response: { 200: page(NotifyDeliveryView) } },
    config: { access: 'notify:read' },
  }, (req) => notify.deliveries(req.query));
}
