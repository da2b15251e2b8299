import type { ScheduleFireView, StepState, WorkflowRunState } from '@opsline/contracts';
import type { VNode } from 'vue';
import { statusTag, type TagType } from '../../../platform/components/cells';
import { i18n } from '../../../platform/i18n';

/** How the automation pages show states: a tag type per state, its words under `automation.states`. */

export const STEP_TAG: Record<StepState, TagType> = {
  pending: 'default',
  running: 'info',
  waiting: 'warning',
  success: 'success',
  failed: 'error',
  skipped: 'default',
  rejected: 'error',
};

export const RUN_TAG: Record<WorkflowRunState, TagType> = {
  running: 'info',
  waiting: 'warning',
  success: 'success',
  failed: 'error',
  rejected: 'error',
};

export const FIRE_TAG: Record<ScheduleFireView['outcome'], TagType> = {
  started: 'success',
  queued: 'info',
  skipped_overlap: 'warning',
  skipped_misfire: 'warning',
  failed: 'error',
};

/** Still moving: the run page polls while it is. */
export const isLive = (status: WorkflowRunState): boolean => status === 'running' || status === 'waiting';

export const stepStateText = (s: StepState): string => i18n.global.t(`automation.states.${s}`);

export const stepStateTag = (s: StepState, testId = 'step-status'): VNode => statusTag(stepStateText(s), STEP_TAG[s], testId);

export const runStateTag = (s: WorkflowRunState, testId = 'workflow-run-status'): VNode => statusTag(stepStateText(s), RUN_TAG[s], testId);

export const fireOutcomeTag = (o: ScheduleFireView['outcome']): VNode => statusTag(i18n.global.t(`automation.schedules.outcomes.${o}`), FIRE_TAG[o], 'fire-outcome');
