import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CronPreview, CronPreviewQuery, IdParams, Ok, PageQuery, ScheduleBody, ScheduleFireView, ScheduleListQuery, ScheduleView, UpdateScheduleBody, page } from '@opsline/contracts';
import type { PlatformServices } from '../../platform/services.js';
import { nextFires, type ScheduleService } from './schedules.service.js';

const tags = ['schedules'];

export function scheduleRoutes(app: FastifyInstance, platform: PlatformServices, schedules: ScheduleService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/v1/schedules', {
    schema: { tags, summary: 'Schedules, newest first, each with its next five fire times', querystring: ScheduleListQuery, response: { 200: page(ScheduleView) } },
    config: { access: 'job:read' },
  }, (req) => schedules.list(req.query));

  r.get('/api/v1/schedules/preview', {
    schema: { tags, summary: 'The next five fire times of a cron pattern in a time zone (checks it)', querystring: CronPreviewQuery, response: { 200: CronPreview } },
    config: { access: 'job:read' },
  }, (req) => ({ nextFires: nextFires(req.query.cron, req.query.timezone, platform.clock.now(), 5, 'query').map((d) => d.toISOString()) }));

  r.post('/api/v1/schedules', {
    schema: { tags, summary: 'Run a job template on a cron pattern (seconds allowed) in a time zone', body: ScheduleBody, response: { 201: ScheduleView } },
    config: { access: 'job:run', audit: 'schedule.create' },
  }, async (req, reply) => {
    const targetName = await schedules.prepare(req.body);
    return reply.code(201).send(await req.mutate((ctx) => schedules.create(ctx, req.body, targetName, req.caller().userId)));
  });

  r.get('/api/v1/schedules/:id', {
    schema: { tags, summary: 'A schedule with its next five fire times', params: IdParams, response: { 200: ScheduleView } },
    config: { access: 'job:read' },
  }, (req) => schedules.get(req.params.id));

  r.get('/api/v1/schedules/:id/fires', {
    schema: { tags, summary: 'What each fire of a schedule did, newest first', params: IdParams, querystring: PageQuery, response: { 200: page(ScheduleFireView) } },
    config: { access: 'job:read' },
  }, (req) => schedules.fires(req.params.id, req.query));

  r.patch('/api/v1/schedules/:id', {
    schema: { tags, summary: 'Change a schedule, or enable/disable it', params: IdParams, body: UpdateScheduleBody, response: { 200: ScheduleView } },
    config: { access: 'job:run', audit: 'schedule.update' },
  }, async (req) => {
    const before = await schedules.byId(req.params.id);
    const targetName = await schedules.prepare(req.body, before);
    return req.mutate((ctx) => schedules.update(ctx, before, req.body, targetName));
  });

  r.delete('/api/v1/schedules/:id', {
    schema: { tags, summary: 'Delete a schedule (its fired runs stay)', params: IdParams, response: { 200: Ok } },
    config: { access: 'job:run', audit: 'schedule.delete' },
  }, async (req) => {
    await req.mutate((ctx) => schedules.remove(ctx, req.params.id));
    return { ok: true as const };
  });
}
