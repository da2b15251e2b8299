import type { TaskResult } from '@opsline/contracts';
import { groupRunning, signalGroup, waitGroupGone } from '../executor/process-group.js';
import { savedOutputText } from './output-tail.js';
import { readProcessStart } from './process-start.js';
import type { TaskRecord } from './task-records.js';

/**
 * Whether a task recorded by an earlier agent process still runs. The pid
 * alone is not proof (pids are reused): the leader must have the recorded
 * start time in the same boot. A leader that exited may have left members of
 * its group running; the kernel does not hand out a pid still used as a
 * group id, so a live group with that id is still the task's.
 */
async function taskStillRuns(record: TaskRecord, bootId: string | undefined): Promise<boolean> {
  if (record.pid === undefined) return false;
  if (record.bootId && bootId && record.bootId !== bootId) return false;
  const start = await readProcessStart(record.pid);
  if (start !== undefined && (record.pidStartTicks === undefined || start !== record.pidStartTicks)) return false;
  // The leader, or members it left, still run (a zombie leader does not count: groupRunning skips zombies).
  return groupRunning(record.pid);
}

/**
 * Turns a task an earlier agent process left unfinished into a `lost`
 * result, with the output it had saved. A task whose processes still run is
 * stopped first (SIGTERM to its group, SIGKILL after the grace period): the
 * new agent cannot collect its exit status or output, and its timeout would
 * no longer be enforced — the same end systemd gives a unit's processes when
 * the agent restarts. Never drops a task silently.
 */
export async function resolveLeftoverTask(record: TaskRecord, bootId: string | undefined, killGraceMs: number): Promise<TaskResult> {
  let error: string;
  if (record.pid === undefined) {
    error = 'the agent restarted before the task was recorded as started; it most likely did not run';
  } else if (await taskStillRuns(record, bootId)) {
    signalGroup(record.pid, 'SIGTERM');
    if (!(await waitGroupGone(record.pid, Date.now() + killGraceMs))) {
      signalGroup(record.pid, 'SIGKILL');
      await waitGroupGone(record.pid, Date.now() + 2_000);
    }
    error = 'the agent restarted while the task ran; its processes were stopped and its exit status is unknown';
  } else {
    error = 'the agent restarted while the task ran; its process is gone and its exit status is unknown';
  }
  return {
    taskId: record.taskId,
    status: 'lost',
    exitCode: null,
    signal: null,
    ...savedOutputText(record.output),
    startedAt: record.startedAt ?? null,
    finishedAt: Date.now(),
    error,
  };
}
