import { JOB_HOST_STATES, JOB_RUN_STATES, type JobHostState, type JobRunState, type ScriptLanguage } from '@opsline/contracts';
import type { VNode } from 'vue';
import type { CodeLanguage } from '../../../platform/components/code-editor';
import { statusTag, type TagType } from '../../../platform/components/cells';
import { i18n } from '../../../platform/i18n';

export const RUN_TAG_TYPE: Record<JobRunState, TagType> = {
  pending: 'warning',
  running: 'info',
  paused: 'warning',
  killing: 'warning',
  success: 'success',
  failed: 'error',
  partial: 'warning',
  killed: 'default',
};

export const HOST_TAG_TYPE: Record<JobHostState, TagType> = {
  pending: 'default',
  waiting: 'default',
  running: 'info',
  success: 'success',
  failed: 'error',
  timeout: 'warning',
  killed: 'warning',
  lost: 'error',
  skipped: 'default',
};

/** Not ended: it may change, and its page follows it live. */
export const isRunOpen = (status: JobRunState): boolean => status === 'pending' || status === 'running' || status === 'paused' || status === 'killing';

/** Has not ended on its host yet. */
export const isHostOpen = (status: JobHostState): boolean => status === 'pending' || status === 'waiting' || status === 'running';

export const runStatusText = (status: JobRunState): string => i18n.global.t(`jobs.runStatuses.${status}`);
export const hostStatusText = (status: JobHostState): string => i18n.global.t(`jobs.hostStatuses.${status}`);

export const runStatusTag = (status: JobRunState, testId = 'job-run-status'): VNode => statusTag(runStatusText(status), RUN_TAG_TYPE[status], testId);
export const hostStatusTag = (status: JobHostState, testId = 'job-host-status'): VNode => statusTag(hostStatusText(status), HOST_TAG_TYPE[status], testId);

export const runStatusOptions = () => JOB_RUN_STATES.map((value) => ({ value, label: runStatusText(value) }));
export const hostStatusOptions = () => JOB_HOST_STATES.map((value) => ({ value, label: hostStatusText(value) }));

/** The highlighting a script's language gets in the editor. */
export const editorLanguage = (language: ScriptLanguage): CodeLanguage => (language === 'python3' ? 'python' : 'shell');

/** Done: every host that has ended one way or another. */
export function doneOf(counts: Partial<Record<JobHostState, number>>): number {
  return JOB_HOST_STATES.filter((s) => !isHostOpen(s)).reduce((n, s) => n + (counts[s] ?? 0), 0);
}
