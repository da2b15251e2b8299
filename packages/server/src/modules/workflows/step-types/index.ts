import { z } from 'zod';
import type { StepTypeView } from '@opsline/contracts';
import { approvalStep } from './approval.js';
import { conditionStep } from './condition.js';
import { httpStep } from './http.js';
import { jobStep } from './job.js';
import { scriptStep } from './script.js';
import type { StepType } from './types.js';
import { waitStep } from './wait.js';

/** The installed step types. A new one is one file implementing StepType, added here (docs/plugins.md). */
const TYPES: StepType<never>[] = [jobStep, scriptStep, httpStep, waitStep, approvalStep, conditionStep] as unknown as StepType<never>[];

export const stepTypes = new Map<string, StepType<unknown>>(TYPES.map((t) => [t.type, t]));

export const stepTypeViews = (): StepTypeView[] =>
  [...stepTypes.values()].map((t) => ({ type: t.type, title: t.title, description: t.description, params: z.toJSONSchema(t.params, { io: 'input' }) }));
