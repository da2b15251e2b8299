import type { ExecTask } from '@opsline/contracts';
import type { SecretBox } from '../../platform/secrets/secret-box.js';
import type { RunRow } from './jobs.repo.js';

/** Where a run's (and a template's) secret parameter values are sealed. */
export const PARAMS_SEAL = 'job.params';

/** The task each host of a run runs: the run's script snapshot, its parameters (secret ones opened here) and strategy. */
export function runTask(run: RunRow, box: SecretBox): { task: Omit<ExecTask, 'script'> & { script: string }; secretNames: string[] } {
  const secret = run.sealedParams ? (JSON.parse(box.open(run.sealedParams, PARAMS_SEAL)) as Record<string, string>) : {};
  const s = run.strategy;
  return {
    task: {
      script: run.content,
      interpreter: run.language as ExecTask['interpreter'],
      args: [],
      env: {},
      params: { ...run.params, ...secret },
      timeoutSec: s.timeoutSec,
      ...(s.runAs && { runAs: s.runAs }),
    },
    secretNames: run.secretNames,
  };
}
