import { h, type VNode } from 'vue';
import { RouterLink, type RouteLocationRaw } from 'vue-router';
import { shortId } from '../../../platform/format/id';

/**
 * Where the automation pages link to. Job runs and their list are pages of
 * the job center (router/modules/jobs.ts): linked by path, so this module
 * does not depend on its route names.
 */
export const jobRunPath = (runId: string): string => `/jobs/runs/${encodeURIComponent(runId)}`;

/** The job center's run list narrowed to one template's runs. */
export const templateRunsPath = (templateId: string): RouteLocationRaw => ({ path: '/jobs/runs', query: { templateId } });

export const workflowRunPath = (runId: string): RouteLocationRaw => ({ name: 'automation-workflow-run', params: { id: runId } });

export const workflowPath = (id: string): RouteLocationRaw => ({ name: 'automation-workflow', params: { id } });

export const schedulePath = (id: string): RouteLocationRaw => ({ name: 'automation-schedule', params: { id } });

/** A run a schedule started: a workflow run when it runs a workflow, else a job run. */
export const scheduleRunPath = (s: { workflowId: string | null }, runId: string): RouteLocationRaw => (s.workflowId ? workflowRunPath(runId) : jobRunPath(runId));

/** A link in a table cell. */
export const linkCell = (to: RouteLocationRaw, text: string, testId: string, className = 'table-link'): VNode =>
  h(RouterLink, { to, class: className, 'data-testid': testId }, { default: () => text });

/** A run's id, shortened, linking to its page. */
const runLink = (to: RouteLocationRaw, runId: string, testId: string): VNode =>
  h(RouterLink, { to, class: 'table-link mono', title: runId, 'data-testid': testId }, { default: () => shortId(runId) });

export const jobRunLink = (runId: string, testId = 'job-run-link'): VNode => runLink(jobRunPath(runId), runId, testId);

export const scheduleRunLink = (s: { workflowId: string | null }, runId: string, testId = 'schedule-run-link'): VNode => runLink(scheduleRunPath(s, runId), runId, testId);
