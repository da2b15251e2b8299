import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  IdParams, Ok, OncallAnswer, OncallAtQuery, OncallScheduleBody, OncallScheduleListQuery, OncallScheduleView, OncallShifts, OverrideBody, OverrideParams, OverrideView,
  ShiftRangeQuery, page,
} from '@opsline/contracts';
import type { ScheduleService } from './oncall-schedule.service.js';
import type { ShiftService } from './oncall-shift.service.js';

const tags = ['oncall'];
/** Static under the job center's /api/v1/schedules/:id: the router prefers the static segment. */
const BASE = '/api/v1/schedules/oncall';

export function oncallScheduleRoutes(app: FastifyInstance, schedules: ScheduleService, shifts: ShiftService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(BASE, {
    schema: { tags, summary: 'On-call schedules, newest first, each with who is on call now', querystring: OncallScheduleListQuery, response: { 200: page(OncallScheduleView) } },
    config: { access: 'oncall:read' },
  }, (req) => schedules.list(req.query));

  r.post(BASE, {
    schema: { tags, summary: 'Create an on-call schedule: layers of rotations in a time zone', body: OncallScheduleBody, response: { 201: OncallScheduleView } },
    config: { access: 'oncall:admin', audit: 'oncall.schedule.create' },
  }, async (req, reply) => {
    const fields = await schedules.prepare(req.body);
    return reply.code(201).send(await req.mutate((ctx) => schedules.create(ctx, fields, req.caller().userId)));
  });

  r.get(`${BASE}/:id`, {
    schema: { tags, summary: 'An on-call schedule', params: IdParams, response: { 200: OncallScheduleView } },
    config: { access: 'oncall:read' },
  }, (req) => schedules.get(req.params.id));

  r.put(`${BASE}/:id`, {
    schema: { tags, summary: 'Replace an on-call schedule (its overrides stay)', params: IdParams, body: OncallScheduleBody, response: { 200: OncallScheduleView } },
    config: { access: 'oncall:admin', audit: 'oncall.schedule.update' },
  }, async (req) => {
    const fields = await schedules.prepare(req.body);
    return req.mutate((ctx) => schedules.replace(ctx, req.params.id, fields));
  });

  r.delete(`${BASE}/:id`, {
    schema: { tags, summary: 'Delete an on-call schedule and its overrides (refused while an escalation policy pages it)', params: IdParams, response: { 200: Ok } },
    config: { access: 'oncall:admin', audit: 'oncall.schedule.delete' },
  }, async (req) => {
    await req.mutate((ctx) => schedules.remove(ctx, req.params.id));
    return { ok: true as const };
  });

  r.get(`${BASE}/:id/oncall`, {
    schema: { tags, summary: 'Who is on call at `at` (default now), from which layer or override, and for how long', params: IdParams, querystring: OncallAtQuery, response: { 200: OncallAnswer } },
    config: { access: 'oncall:read' },
  }, (req) => shifts.whoAt(req.params.id, req.query.at));

  r.get(`${BASE}/:id/shifts`, {
    schema: { tags, summary: 'The final schedule between `from` and `to` (at most 62 days; default a week from now), for a calendar', params: IdParams, querystring: ShiftRangeQuery, response: { 200: OncallShifts } },
    config: { access: 'oncall:read' },
  }, (req) => shifts.shifts(req.params.id, req.query));

  r.get(`${BASE}/:id/overrides`, {
    schema: { tags, summary: 'Overrides overlapping `from`–`to` (default a week from now), oldest first', params: IdParams, querystring: ShiftRangeQuery, response: { 200: z.object({ items: z.array(OverrideView) }) } },
    config: { access: 'oncall:read' },
  }, (req) => shifts.overrides(req.params.id, req.query));

  r.post(`${BASE}/:id/overrides`, {
    schema: { tags, summary: 'Put someone on call above every layer from `start` to `end`', params: IdParams, body: OverrideBody, response: { 201: OverrideView } },
    config: { access: 'oncall:admin', audit: 'oncall.override.create' },
  }, async (req, reply) => {
    await shifts.checkOverride(req.body);
    return reply.code(201).send(await req.mutate((ctx) => shifts.addOverride(ctx, req.params.id, req.body, req.caller().userId)));
  });

  r.delete(`${BASE}/:id/overrides/:overrideId`, {
    schema: { tags, summary: 'Remove an override', params: OverrideParams, response: { 200: Ok } },
    config: { access: 'oncall:admin', audit: 'oncall.override.delete' },
  }, async (req) => {
    await req.mutate((ctx) => shifts.removeOverride(ctx, req.params.id, req.params.overrideId));
    return { ok: true as const };
  });
}
