import type {
  JobHostState,
  JobRunHostOutput,
  JobRunHostView,
  JobRunState,
  JobRunView,
  JobTemplateBody,
  JobTemplateView,
  Page,
  StartJobRunBody,
  UpdateJobTemplateBody,
} from '@opsline/contracts';
import { API_BASE, http, pathOf } from './client';
import type { PageParams } from './paging';

const TEMPLATES = '/job-templates';
const RUNS = '/job-runs';

export interface JobTemplateFilter {
  q?: string;
}

/** Newest first. */
export const listJobTemplates = (params: PageParams<JobTemplateFilter> = {}) => http.get<Page<JobTemplateView>>(TEMPLATES, { ...params });

/** Secret parameter values come back as "" (set, never shown). */
export const getJobTemplate = (id: string) => http.get<JobTemplateView>(pathOf(TEMPLATES, id));

export const createJobTemplate = (body: JobTemplateBody) => http.post<JobTemplateView>(TEMPLATES, body);

/** A secret value left "" keeps the stored one. */
export const updateJobTemplate = (id: string, body: UpdateJobTemplateBody) => http.patch<JobTemplateView>(pathOf(TEMPLATES, id), body);

export const deleteJobTemplate = (id: string) => http.delete(pathOf(TEMPLATES, id));

/** From a template (overriding what you like), a library script or an inline one; 403 GUARD_BLOCKED names the rules matched. */
export const startJobRun = (body: StartJobRunBody) => http.post<JobRunView>(RUNS, body);

export interface JobRunFilter {
  status?: JobRunState | null;
  templateId?: string | null;
}

/** Newest first, with their host counts. */
export const listJobRuns = (params: PageParams<JobRunFilter> = {}) => http.get<Page<JobRunView>>(RUNS, { ...params });

export const getJobRun = (id: string) => http.get<JobRunView>(pathOf(RUNS, id));

export interface JobRunHostFilter {
  status?: JobHostState | null;
  /** Part of the hostname or IP. */
  q?: string;
}

/** A run's hosts in the order they run. */
export const listJobRunHosts = (id: string, params: PageParams<JobRunHostFilter> = {}) =>
  http.get<Page<JobRunHostView>>(`${pathOf(RUNS, id)}/hosts`, { ...params });

/** One host of a run with its output (the last 1 MiB of each stream). */
export const getJobRunHost = (id: string, hostId: string) => http.get<JobRunHostOutput>(`${pathOf(RUNS, id)}/hosts/${encodeURIComponent(hostId)}`);

export const JOB_RUN_ACTIONS = ['pause', 'resume', 'kill', 'retry-failed', 'approve'] as const;
export type JobRunAction = (typeof JOB_RUN_ACTIONS)[number];

/** `approve` needs guard:admin and someone other than who started the run. */
export const actOnJobRun = (id: string, action: JobRunAction) => http.post<JobRunView>(`${pathOf(RUNS, id)}/${action}`);

/**
 * A run's live stream (SSE): a `run` event (the JobRunView) whenever it
 * changes; the server closes it once the run has ended, and the caller must
 * close the EventSource then, or the browser reconnects.
 */
export const openJobRunStream = (id: string): EventSource => new EventSource(`${API_BASE}${pathOf(RUNS, id)}/stream`);
