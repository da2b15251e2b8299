import type { ExecRunTask, ExecRunView, ExecStarted, ExecTaskInput, ExecTaskState, ExecTaskView, OutputStream, Page } from '@opsline/contracts';
import { API_BASE, http, pathOf } from './client';
import type { PageParams } from './paging';

const TASKS = '/exec/tasks';
const RUNS = '/exec/runs';

/** A run as the console sends it: the task (defaults not applied) and the hosts. */
export type ExecRequest = ExecTaskInput & { hostIds: string[] };

/** One task per host, queued at once, under one run id; 409 EXEC_NO_EXECUTOR names hosts no agent reaches. */
export const runScript = (body: ExecRequest) => http.post<ExecStarted>('/exec', body);

/** How many of a run's tasks are done, and how many are in each state. */
export const getExecRun = (id: string) => http.get<ExecRunView>(pathOf(RUNS, id));

export interface RunTaskFilter {
  status?: ExecTaskState | null;
}

/** A run's tasks a page at a time, with the last characters of their output. */
export const listExecRunTasks = (runId: string, params: PageParams<RunTaskFilter> = {}) =>
  http.get<Page<ExecRunTask>>(`${pathOf(RUNS, runId)}/tasks`, { ...params });

export const getExecTask = (id: string) => http.get<ExecTaskView>(pathOf(TASKS, id));

/** Kills the task's whole process group; a queued task ends without starting. */
export const killExecTask = (id: string) => http.post<ExecTaskView>(`${pathOf(TASKS, id)}/kill`);

/** A piece of output as the stream's `output` events carry it. */
export interface OutputChunk {
  stream: OutputStream;
  offset: number;
  data: string;
}

/**
 * A task's live stream (SSE): `task` (the task so far), `output` chunks while
 * it runs, `end` (the final task), then the server closes it. The caller must
 * close the EventSource at `end`, or the browser reconnects and replays it.
 */
export const openExecTaskStream = (id: string): EventSource => new EventSource(`${API_BASE}${pathOf(TASKS, id)}/stream`);
