import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ApprovalBody, IdParams, Ok, PageQuery, StartWorkflowRunBody, StepParams, StepTypeView, UpdateWorkflowBody, WorkflowBody, WorkflowRunListQuery, WorkflowRunView, WorkflowView, page,
} from '@opsline/contracts';
import type { PlatformServices } from '../../platform/services.js';
import { stepTypeViews } from './step-types/index.js';
import type { WorkflowService } from './workflows.service.js';

const tags = ['workflows'];

export function workflowRoutes(app: FastifyInstance, platform: PlatformServices, workflows: WorkflowService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/v1/step-types', {
    schema: { tags, summary: 'Installed workflow step types (the plugins) with the JSON Schema of their parameters', response: { 200: z.object({ items: z.array(StepTypeView) }) } },
    config: { access: 'job:read' },
  }, () => ({ items: stepTypeViews() }));

  r.get('/api/v1/workflows', {
    schema: { tags, summary: 'Workflows, newest first', querystring: PageQuery, response: { 200: page(WorkflowView) } },
    config: { access: 'job:read' },
  }, (req) => workflows.list(req.query));

  r.post('/api/v1/workflows', {
    schema: { tags, summary: 'Save a workflow: a DAG of typed steps (checked: keys, needs, no cycle, each type\'s parameters)', body: WorkflowBody, response: { 201: WorkflowView } },
    config: { access: 'workflow:write', audit: 'workflow.create' },
  }, async (req, reply) => reply.code(201).send(await req.mutate((ctx) => workflows.create(ctx, req.body, req.caller().userId))));

  r.get('/api/v1/workflows/:id', {
    schema: { tags, summary: 'A workflow', params: IdParams, response: { 200: WorkflowView } },
    config: { access: 'job:read' },
  }, (req) => workflows.get(req.params.id));

  r.patch('/api/v1/workflows/:id', {
    schema: { tags, summary: 'Change a workflow (runs keep the steps they started with)', params: IdParams, body: UpdateWorkflowBody, response: { 200: WorkflowView } },
    config: { access: 'workflow:write', audit: 'workflow.update' },
  }, (req) => req.mutate((ctx) => workflows.update(ctx, req.params.id, req.body)));

  r.delete('/api/v1/workflows/:id', {
    schema: { tags, summary: 'Delete a workflow (its runs stay)', params: IdParams, response: { 200: Ok } },
    config: { access: 'workflow:write', audit: 'workflow.delete' },
  }, async (req) => {
    await req.mutate((ctx) => workflows.remove(ctx, req.params.id));
    return { ok: true as const };
  });

  r.post('/api/v1/workflow-runs', {
    schema: { tags, summary: 'Run a workflow', body: StartWorkflowRunBody, response: { 201: WorkflowRunView } },
    config: { access: 'workflow:run', audit: 'workflow.run.start' },
  }, async (req, reply) => reply.code(201).send(await req.mutate((ctx) => workflows.start(ctx, req.body.workflowId, req.caller().userId))));

  r.get('/api/v1/workflow-runs', {
    schema: { tags, summary: 'Workflow runs, newest first', querystring: WorkflowRunListQuery, response: { 200: page(WorkflowRunView) } },
    config: { access: 'job:read' },
  }, (req) => workflows.listRuns(req.query));

  r.get('/api/v1/workflow-runs/:id', {
    schema: { tags, summary: 'A workflow run with the state of each step', params: IdParams, response: { 200: WorkflowRunView } },
    config: { access: 'job:read' },
  }, (req) => workflows.getRun(req.params.id));

  r.post('/api/v1/workflow-runs/:id/resume', {
    schema: { tags, summary: 'Resume a failed run from its failed steps', params: IdParams, response: { 200: WorkflowRunView } },
    config: { access: 'workflow:run', audit: 'workflow.run.resume' },
  }, (req) => req.mutate((ctx) => workflows.resume(ctx, req.params.id, req.caller().username)));

  for (const decision of ['approve', 'reject'] as const) {
    r.post(`/api/v1/workflow-runs/:id/steps/:stepKey/${decision}`, {
      schema: { tags, summary: `${decision} a waiting approval step, with a comment`, params: StepParams, body: ApprovalBody, response: { 200: WorkflowRunView } },
      config: { access: 'authenticated', audit: `workflow.run.${decision}` },
    }, async (req) => {
      const c = req.caller();
      // Named approvers answer whatever their roles; without names, whoever may run workflows.
      const allowedByRole = await platform.rbac.can(c.userId, 'workflow:run');
      return req.mutate((ctx) => workflows.answer(ctx, req.params.id, req.params.stepKey, decision, { id: c.userId, name: c.username, allowedByRole }, req.body.comment));
    });
  }
}
