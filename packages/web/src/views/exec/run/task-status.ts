import type { ExecTaskState, ExecTaskView } from '@opsline/contracts';
import type { TagType } from '../../../platform/components/cells';
import { durationText } from '../../../platform/format/duration';

export const TASK_TAG_TYPE: Record<ExecTaskState, TagType> = {
  queued: 'default',
  running: 'info',
  success: 'success',
  failed: 'error',
  timeout: 'warning',
  killed: 'warning',
  lost: 'error',
};

/** Still queued or running: it may print more, and it can be killed. */
export const isOpen = (status: ExecTaskState): boolean => status === 'queued' || status === 'running';

/** How long it ran (so far, by `now`, while it runs); null before it started. */
export function taskDuration(task: ExecTaskView, now: number): string | null {
  if (!task.startedAt) return null;
  const end = task.finishedAt ? Date.parse(task.finishedAt) : now;
  return durationText(end - Date.parse(task.startedAt));
}

const lastLineOf = (text: string): string => text.trimEnd().split('\n').pop()?.trim() ?? '';

/**
 * The line a table row shows for a task: the last it printed (stderr's when
 * it ended badly and wrote there), else why it failed to run.
 */
export function lastLine(task: ExecTaskView): { text: string; stream: 'stdout' | 'stderr' } | null {
  const out = lastLineOf(task.stdout);
  const err = lastLineOf(task.stderr);
  const badly = !isOpen(task.status) && task.status !== 'success';
  if (err && (badly || !out)) return { text: err, stream: 'stderr' };
  if (out) return { text: out, stream: 'stdout' };
  return task.error ? { text: task.error, stream: 'stderr' } : null;
}
