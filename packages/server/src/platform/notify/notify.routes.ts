import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ChannelBody, ChannelChoice, ChannelChoiceQuery, ChannelQuery, ChannelUpdateBody, ChannelView, IdParams, NotifyDeliveryQuery, NotifyDeliveryView, Ok, OutboundPolicy, page } from '@opsline/contracts';
import type { PlatformServices } from '../services.js';

const tags = ['notify'];

export function notifyRoutes(app: FastifyInstance, s: PlatformServices): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const notify = s.notify;

  r.get('/api/v1/channels', {
    schema: { tags, summary: 'Notification channels (their secrets are never answered)', querystring: ChannelQuery, response: { 200: page(ChannelView) } },
    config: { access: 'notify:read' },
  }, (req) => notify.list(req.query));

  r.get('/api/v1/channels/choices', {
    schema: { tags, summary: 'Channels by name and type only (no config), for anyone signed in to choose for their own notification rules; by name (q) or by ids', querystring: ChannelChoiceQuery, response: { 200: z.object({ items: z.array(ChannelChoice) }) } },
    config: { access: 'authenticated' },
  }, async (req) => ({ items: await notify.choices(req.query) }));

  r.post('/api/v1/channels', {
    schema: { tags, summary: 'Add a channel: email, webhook, DingTalk, Feishu/Lark, WeCom, Slack, PagerDuty, or an SMS/voice gateway', body: ChannelBody, response: { 201: ChannelView } },
    config: { access: 'notify:admin', audit: 'notify.channel.create' },
  }, async (req, reply) => reply.code(201).send(await req.mutate((ctx) => notify.create(ctx, req.body, req.caller().userId))));

  r.get('/api/v1/channels/outbound-policy', {
    schema: { tags, summary: 'The hosts notifications may reach (cloud metadata addresses never are)', response: { 200: OutboundPolicy } },
    config: { access: 'notify:read' },
  }, () => notify.policy());

  r.put('/api/v1/channels/outbound-policy', {
    schema: { tags, summary: 'Set the allow and deny lists of outbound hosts', body: OutboundPolicy, response: { 200: OutboundPolicy } },
    config: { access: 'notify:admin', audit: 'notify.policy.update' },
  }, (req) => req.mutate((ctx) => notify.setPolicy(ctx, req.body, req.caller().userId)));

  r.get('/api/v1/channels/:id', {
    schema: { tags, summary: 'A channel', params: IdParams, response: { 200: ChannelView } },
    config: { access: 'notify:read' },
  }, (req) => notify.get(req.params.id));

  r.put('/api/v1/channels/:id', {
    schema: { tags, summary: 'Replace a channel; a secret left out keeps the stored one', params: IdParams, body: ChannelUpdateBody, response: { 200: ChannelView } },
    config: { access: 'notify:admin', audit: 'notify.channel.update' },
  }, (req) => req.mutate((ctx) => notify.replace(ctx, req.params.id, req.body)));

  r.delete('/api/v1/channels/:id', {
    schema: { tags, summary: 'Delete a channel', params: IdParams, response: { 200: Ok } },
    config: { access: 'notify:admin', audit: 'notify.channel.delete' },
  }, async (req) => {
    await req.mutate((ctx) => notify.remove(ctx, req.params.id));
    return { ok: true as const };
  });

  r.post('/api/v1/channels/:id/test', {
    schema: { tags, summary: 'Send a test message; answers the delivery to follow', params: IdParams, response: { 202: z.object({ deliveryIds: z.array(z.string()) }) } },
    config: { access: 'notify:admin', audit: 'notify.channel.test' },
  }, async (req, reply) => {
    const c = await notify.get(req.params.id);
    const by = req.caller().username;
    const deliveryIds = await req.mutate(async (ctx) => {
      const ids = await notify.send([c.id], { title: 'Test from Opsline', text: `${by} sent this to check the channel ${c.name}.`, severity: 'info', source: `test:${by}`, link: '/notify/channels' }, ctx.tx);
      Object.assign(ctx.audit, { targetType: 'notify_channel', targetId: c.id, after: { deliveryIds: ids } });
      ctx.afterCommit(notify.kick);
      return ids;
    });
    return reply.code(202).send({ deliveryIds });
  });

  r.get('/api/v1/notifications', {
    schema: { tags, summary: 'What was sent where, newest first: every attempt and the answer it got', querystring: NotifyDeliveryQuery, response: { 200: page(NotifyDeliveryView) } },
    config: { access: 'notify:read' },
  }, (req) => notify.deliveries(req.query));

  r.get('/api/v1/notifications/:id', {
    schema: { tags, summary: 'One delivery with its attempts', params: IdParams, response: { 200: NotifyDeliveryView } },
    config: { access: 'notify:read' },
  }, (req) => notify.delivery(req.params.id));
}
