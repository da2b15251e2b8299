import type { ExecTaskState } from '@opsline/contracts';
import type { TagType } from '../../../platform/components/cells';

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

/** A type, not an interface: it goes to `t()` as the message's named values. */
export type RunCounts = { success: number; failed: number; running: number };

/** How a run stands: finished well, finished otherwise (failed, timed out, killed, lost), not finished yet. */
export function countStatuses(statuses: readonly (ExecTaskState | null)[]): RunCounts {
  const counts: RunCounts = { success: 0, failed: 0, running: 0 };
  for (const s of statuses) {
    if (s === null || isOpen(s)) counts.running += 1;
    else if (s === 'success') counts.success += 1;
    else counts.failed += 1;
  }
  return counts;
}
