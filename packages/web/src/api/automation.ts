import type {
  JobDashboard,
  JobTemplateView,
  Page,
  ScheduleBody,
  ScheduleFireView,
  ScheduleView,
  StepTypeView,
  UpdateScheduleBody,
  UpdateWorkflowBody,
  WorkflowBody,
  WorkflowRunState,
  WorkflowRunView,
  WorkflowView,
} from '@opsline/contracts';
import { http, pathOf } from './client';
import type { PageParams } from './paging';

/** The automation pages: the job dashboard, schedules (定时任务), workflows (流程) and their runs, step types (插件). */

const SCHEDULES = '/schedules';
const WORKFLOWS = '/workflows';
const RUNS = '/workflow-runs';

/** Runs today and over the last 7 days, counted in `tz` (the browser's zone). */
export const getJobDashboard = (tz: string) => http.get<JobDashboard>('/job-dashboard', { tz });

/** Job templates by name, for the pickers of a schedule or a workflow's job step. */
export const searchJobTemplates = (q: string, limit = 20) => http.get<Page<JobTemplateView>>('/job-templates', { q, limit });

export const getJobTemplate = (id: string) => http.get<JobTemplateView>(pathOf('/job-templates', id));

export interface ScheduleFilter {
  templateId?: string | null;
}

/** Newest first, each with its next five fires. */
export const listSchedules = (params: PageParams<ScheduleFilter> = {}) => http.get<Page<ScheduleView>>(SCHEDULES, { ...params });

export const getSchedule = (id: string) => http.get<ScheduleView>(pathOf(SCHEDULES, id));

export const createSchedule = (body: ScheduleBody) => http.post<ScheduleView>(SCHEDULES, body);

/** Only the fields sent change: `{enabled}` alone turns it on or off. */
export const updateSchedule = (id: string, body: UpdateScheduleBody) => http.patch<ScheduleView>(pathOf(SCHEDULES, id), body);

export const deleteSchedule = (id: string) => http.delete(pathOf(SCHEDULES, id));

/** What each fire did, newest first. */
export const listScheduleFires = (id: string, params: PageParams = {}) => http.get<Page<ScheduleFireView>>(`${pathOf(SCHEDULES, id)}/fires`, { ...params });

/** The next five fires of a pattern in a zone; a bad pattern is a 400 naming `query.cron` (or `query.timezone`). */
export const previewCron = (cron: string, timezone: string, signal?: AbortSignal) =>
  http.get<{ nextFires: string[] }>(`${SCHEDULES}/preview`, { cron, timezone }, { signal });

/** Installed step types with the JSON Schema of their parameters. */
export const listStepTypes = () => http.get<{ items: StepTypeView[] }>('/step-types');

export const listWorkflows = (params: PageParams = {}) => http.get<Page<WorkflowView>>(WORKFLOWS, { ...params });

export const getWorkflow = (id: string) => http.get<WorkflowView>(pathOf(WORKFLOWS, id));

/** A 400 names the field at fault: `body.steps.2.params.url`, or `body.steps` for a cycle. */
export const createWorkflow = (body: WorkflowBody) => http.post<WorkflowView>(WORKFLOWS, body);

export const updateWorkflow = (id: string, body: UpdateWorkflowBody) => http.patch<WorkflowView>(pathOf(WORKFLOWS, id), body);

export const deleteWorkflow = (id: string) => http.delete(pathOf(WORKFLOWS, id));

export interface WorkflowRunFilter {
  workflowId?: string | null;
  status?: WorkflowRunState | null;
}

export const listWorkflowRuns = (params: PageParams<WorkflowRunFilter> = {}) => http.get<Page<WorkflowRunView>>(RUNS, { ...params });

export const getWorkflowRun = (id: string) => http.get<WorkflowRunView>(pathOf(RUNS, id));

/** Runs the workflow's steps as they are saved now. */
export const startWorkflowRun = (workflowId: string) => http.post<WorkflowRunView>(RUNS, { workflowId });

/** A failed run again from its failed steps (and those skipped because of them). */
export const resumeWorkflowRun = (id: string) => http.post<WorkflowRunView>(`${pathOf(RUNS, id)}/resume`);

/** Answers a waiting approval step; 403 WORKFLOW_NOT_APPROVER when the step names other approvers. */
export const answerApproval = (runId: string, stepKey: string, decision: 'approve' | 'reject', comment: string) =>
  http.post<WorkflowRunView>(`${pathOf(RUNS, runId)}/steps/${encodeURIComponent(stepKey)}/${decision}`, { comment });
