import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ExecBody, ExecRunTask, ExecRunTasksQuery, ExecRunView, ExecStarted, ExecTaskView, IdParams, page } from '@opsline/contracts';
import { AppError } from '../../platform/errors/app-error.js';
import { openSse } from '../../platform/http/sse.js';
import type { PlatformServices } from '../../platform/services.js';
import type { ExecService } from './exec.service.js';

const tags = ['exec'];

export function execRoutes(app: FastifyInstance, s: PlatformServices, exec: ExecService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  /** A task is yours to see or kill with exec:run globally or on a node its host is bound to. */
  async function requireTaskAccess(req: FastifyRequest, id: string) {
    const { row, nodeIds } = await exec.nodesOfTask(id);
    if (await s.rbac.canOnAnyNode(req.caller().userId, 'exec:run', nodeIds)) return row;
    throw new AppError('FORBIDDEN', 'You lack the permission exec:run where this task ran', { permission: 'exec:run' });
  }

  /** A run is yours to follow with exec:run globally, or on a node of every host it reached. */
  async function requireRunAccess(req: FastifyRequest, id: string): Promise<void> {
    const userId = req.caller().userId;
    if (await s.rbac.can(userId, 'exec:run')) {
      await exec.run(id);
      return;
    }
    const hosts = await exec.nodesOfRun(id);
    if (!hosts) throw new AppError('EXEC_RUN_NOT_FOUND');
    for (const nodeIds of hosts) {
      if (!(await s.rbac.canOnAnyNode(userId, 'exec:run', nodeIds))) {
        throw new AppError('FORBIDDEN', 'You lack the permission exec:run on some of the hosts this run reached', { permission: 'exec:run' });
      }
    }
  }

  r.post('/api/v1/exec', {
    schema: { tags, summary: 'Run a script on hosts now; answers the run and its task ids (one per host)', body: ExecBody, response: { 202: ExecStarted } },
    // A script over the 1 MiB limit still reaches validation, which names the field.
    bodyLimit: 16 * 1024 * 1024,
    config: { access: 'exec:run', filtered: true, audit: 'exec.start' },
  }, async (req, reply) => {
    const plan = await exec.plan(req.body, req.caller().userId);
    return reply.code(202).send(await req.mutate((ctx) => exec.start(ctx, plan)));
  });

  r.get('/api/v1/exec/runs/:id', {
    schema: { tags, summary: 'A run: how many of its tasks are queued, running and finished, by status', params: IdParams, response: { 200: ExecRunView } },
    config: { access: 'exec:run', filtered: true },
  }, async (req) => {
    await requireRunAccess(req, req.params.id);
    return exec.run(req.params.id);
  });

  r.get('/api/v1/exec/runs/:id/tasks', {
    schema: {
      tags, summary: 'A run\'s tasks, a page at a time, with the last characters of their output', params: IdParams, querystring: ExecRunTasksQuery,
      response: { 200: page(ExecRunTask) },
    },
    config: { access: 'exec:run', filtered: true },
  }, async (req) => {
    await requireRunAccess(req, req.params.id);
    return exec.runTasks(req.params.id, req.query);
  });

  r.get('/api/v1/exec/tasks/:id', {
    schema: { tags, summary: 'A task: its status, exit code and output (the last 1 MiB of each stream)', params: IdParams, response: { 200: ExecTaskView } },
    config: { access: 'exec:run', filtered: true },
  }, async (req) => exec.view(await requireTaskAccess(req, req.params.id)));

  r.post('/api/v1/exec/tasks/:id/kill', {
    schema: { tags, summary: 'Kill a task (its whole process group)', params: IdParams, response: { 200: ExecTaskView } },
    config: { access: 'exec:run', filtered: true, audit: 'exec.kill' },
  }, async (req) => {
    await requireTaskAccess(req, req.params.id);
    return req.mutate((ctx) => exec.kill(ctx, req.params.id, req.caller().username));
  });

  r.get('/api/v1/exec/tasks/:id/stream', {
    schema: { tags, summary: 'A task\'s output as Server-Sent Events: `output` chunks while it runs, then `end` with the task', params: IdParams },
    config: { access: 'exec:run', filtered: true },
  }, async (req, reply) => {
    const row = await requireTaskAccess(req, req.params.id);
    const sse = openSse(reply);
    const unsubscribe = exec.subscribe(row.id, (e) => {
      if (e.chunk) sse.send('output', e.chunk);
      if (e.end) {
        sse.send('end', e.end);
        sse.end();
      }
    });
    sse.onClose(unsubscribe);
    // Subscribed first, then the state so far: a task that ended meanwhile still ends the stream.
    const now = await exec.get(row.id);
    sse.send('task', now);
    if (!['queued', 'running'].includes(now.status)) {
      sse.send('end', now);
      sse.end();
    }
  });
}
