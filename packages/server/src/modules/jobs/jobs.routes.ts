import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  IdParams, JOB_RUN_FINAL, JobDashboard, JobDashboardQuery, JobRunHostOutput, JobRunHostView, JobRunHostsQuery, JobRunListQuery, JobRunView, JobTemplateBody, JobTemplateListQuery, JobTemplateView, Ok,
  StartJobRunBody, UpdateJobTemplateBody, page,
} from '@opsline/contracts';
import { openSse } from '../../platform/http/sse.js';
import type { RunManager } from './run-manager.js';
import type { RunService } from './runs.service.js';
import type { TemplateService } from './templates.service.js';

const tags = ['jobs'];
const RunHostParams = z.strictObject({ id: z.uuid(), hostId: z.uuid() });
const ACTIONS = ['pause', 'resume', 'kill', 'retry-failed', 'approve'] as const;

/** A run page's updates: at most this often, and at least this often while the run is open (its driver may be on another server). */
const STREAM_THROTTLE_MS = 250;
const STREAM_REFRESH_MS = 2_000;

export function jobRoutes(app: FastifyInstance, templates: TemplateService, runs: RunService, manager: RunManager, dashboard: (tz: string) => Promise<JobDashboard>): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/v1/job-dashboard', {
    schema: { tags, summary: 'Runs today and over 7 days, success rate, failing templates, slowest hosts, agents online', querystring: JobDashboardQuery, response: { 200: JobDashboard } },
    config: { access: 'job:read' },
  }, (req) => dashboard(req.query.tz));

  r.get('/api/v1/job-templates', {
    schema: { tags, summary: 'Job templates, newest first', querystring: JobTemplateListQuery, response: { 200: page(JobTemplateView) } },
    config: { access: 'job:read' },
  }, (req) => templates.list(req.query));

  r.post('/api/v1/job-templates', {
    schema: { tags, summary: 'Save a job: script (version), parameter values, targets and strategy', body: JobTemplateBody, response: { 201: JobTemplateView } },
    config: { access: 'job:write', audit: 'job.template.create' },
  }, async (req, reply) => {
    const prepared = await templates.prepare(req.body);
    return reply.code(201).send(await req.mutate((ctx) => templates.create(ctx, req.body, prepared, req.caller().userId)));
  });

  r.get('/api/v1/job-templates/:id', {
    schema: { tags, summary: 'A job template (secret values answered as "")', params: IdParams, response: { 200: JobTemplateView } },
    config: { access: 'job:read' },
  }, (req) => templates.get(req.params.id));

  r.patch('/api/v1/job-templates/:id', {
    schema: { tags, summary: 'Change a job template; a secret left "" keeps its value', params: IdParams, body: UpdateJobTemplateBody, response: { 200: JobTemplateView } },
    config: { access: 'job:write', audit: 'job.template.update' },
  }, async (req) => {
    const prepared = await templates.prepareUpdate(req.params.id, req.body);
    return req.mutate((ctx) => templates.update(ctx, req.body, prepared));
  });

  r.delete('/api/v1/job-templates/:id', {
    schema: { tags, summary: 'Delete a job template (its runs stay)', params: IdParams, response: { 200: Ok } },
    config: { access: 'job:write', audit: 'job.template.delete' },
  }, async (req) => {
    await req.mutate((ctx) => templates.remove(ctx, req.params.id));
    return { ok: true as const };
  });

  r.post('/api/v1/job-runs', {
    schema: { tags, summary: 'Start a run from a template, a library script or an inline one', body: StartJobRunBody, response: { 201: JobRunView } },
    config: { access: 'job:run', filtered: true, audit: 'job.run.start' },
  }, async (req, reply) => {
    const userId = req.caller().userId;
    const plan = await runs.plan(req.body, userId);
    return reply.code(201).send(await req.mutate((ctx) => runs.start(ctx, plan, userId)));
  });

  r.get('/api/v1/job-runs', {
    schema: { tags, summary: 'Runs, newest first, with their host counts', querystring: JobRunListQuery, response: { 200: page(JobRunView) } },
    config: { access: 'job:read' },
  }, (req) => runs.list(req.query));

  r.get('/api/v1/job-runs/:id', {
    schema: { tags, summary: 'A run: state, strategy, and how many hosts are in each state', params: IdParams, response: { 200: JobRunView } },
    config: { access: 'job:read' },
  }, (req) => runs.get(req.params.id));

  r.get('/api/v1/job-runs/:id/hosts', {
    schema: { tags, summary: 'A run\'s hosts in order, filtered by state and part of the hostname or IP', params: IdParams, querystring: JobRunHostsQuery, response: { 200: page(JobRunHostView) } },
    config: { access: 'job:read' },
  }, (req) => runs.hosts(req.params.id, req.query));

  r.get('/api/v1/job-runs/:id/hosts/:hostId', {
    schema: { tags, summary: 'One host of a run with its output (the last 1 MiB of each stream)', params: RunHostParams, response: { 200: JobRunHostOutput } },
    config: { access: 'job:read' },
  }, (req) => runs.host(req.params.id, req.params.hostId));

  r.get('/api/v1/job-runs/:id/stream', {
    schema: { tags, summary: 'A run as Server-Sent Events: `run` (the run with its counts) whenever it changes, until it has ended', params: IdParams },
    config: { access: 'job:read' },
  }, async (req, reply) => {
    const id = req.params.id;
    await runs.get(id);
    const sse = openSse(reply);
    let timer: NodeJS.Timeout | undefined;
    let last = 0;
    const push = async (): Promise<void> => {
      last = Date.now();
      const view = await runs.get(id);
      sse.send('run', view);
      if (JOB_RUN_FINAL.includes(view.status)) sse.end();
    };
    const soon = (): void => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        push().catch(() => sse.end());
      }, Math.max(0, STREAM_THROTTLE_MS - (Date.now() - last)));
    };
    const unwatch = manager.watch(id, soon);
    const refresh = setInterval(soon, STREAM_REFRESH_MS);
    sse.onClose(() => {
      unwatch();
      clearInterval(refresh);
      clearTimeout(timer);
    });
    await push().catch(() => sse.end());
  });

  for (const action of ACTIONS) {
    r.post(`/api/v1/job-runs/:id/${action}`, {
      schema: { tags, summary: `${action} a run`, params: IdParams, response: { 200: JobRunView } },
      config: { access: action === 'approve' ? 'guard:admin' : 'job:run', audit: `job.run.${action}` },
    }, (req) => {
      const c = req.caller();
      return req.mutate((ctx) => runs.act(ctx, req.params.id, action, { id: c.userId, name: c.username }));
    });
  }
}
