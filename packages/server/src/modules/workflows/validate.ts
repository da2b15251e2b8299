import type { WorkflowStep } from '@opsline/contracts';
import { AppError } from '../../platform/errors/app-error.js';
import { stepTypes } from './step-types/index.js';

/**
 * Checks a workflow's steps: keys unique, needs naming steps of the workflow,
 * no cycle, known types, parameters as each type wants them (defaults
 * filled in), and what a step refers to among its needs. Errors name the
 * field (`body.steps.2.params.url`). Answers the steps with their parameters parsed.
 */
export function validateSteps(steps: WorkflowStep[]): WorkflowStep[] {
  const issues: { field: string; message: string }[] = [];
  const keys = new Set<string>();
  const out: WorkflowStep[] = [];
  steps.forEach((s, i) => {
    const at = `body.steps.${i}`;
    if (keys.has(s.key)) issues.push({ field: `${at}.key`, message: `another step is already ${s.key}` });
    keys.add(s.key);
    const type = stepTypes.get(s.type);
    if (!type) {
      issues.push({ field: `${at}.type`, message: `unknown step type; installed: ${[...stepTypes.keys()].join(', ')}` });
      out.push(s);
      return;
    }
    const parsed = type.params.safeParse(s.params);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) issues.push({ field: [`${at}.params`, ...issue.path.map(String)].join('.'), message: issue.message });
      out.push(s);
      return;
    }
    for (const ref of type.refersTo?.(parsed.data) ?? []) {
      if (!s.needs.includes(ref)) issues.push({ field: `${at}.params`, message: `refers to step ${ref}: add it to needs` });
    }
    out.push({ ...s, params: parsed.data as Record<string, unknown> });
  });
  steps.forEach((s, i) => {
    s.needs.forEach((n, k) => {
      if (n === s.key) issues.push({ field: `body.steps.${i}.needs.${k}`, message: 'a step cannot need itself' });
      else if (!keys.has(n)) issues.push({ field: `body.steps.${i}.needs.${k}`, message: `no step ${n} in this workflow` });
    });
  });
  if (!issues.length) {
    const cycle = findCycle(steps);
    if (cycle) issues.push({ field: 'body.steps', message: `the steps form a cycle: ${cycle.join(' → ')}` });
  }
  if (issues.length) throw new AppError('VALIDATION_FAILED', issues.map((i) => `${i.field}: ${i.message}`).join('; '), { issues });
  return out;
}

/** A cycle among the needs, as step keys, or null (depth-first, three colours). */
function findCycle(steps: WorkflowStep[]): string[] | null {
  const needs = new Map(steps.map((s) => [s.key, s.needs]));
  const colour = new Map<string, 'grey' | 'black'>();
  const path: string[] = [];
  const visit = (k: string): string[] | null => {
    if (colour.get(k) === 'black') return null;
    if (colour.get(k) === 'grey') return [...path.slice(path.indexOf(k)), k];
    colour.set(k, 'grey');
    path.push(k);
    for (const n of needs.get(k) ?? []) {
      const found = visit(n);
      if (found) return found;
    }
    path.pop();
    colour.set(k, 'black');
    return null;
  };
  for (const s of steps) {
    const found = visit(s.key);
    if (found) return found;
  }
  return null;
}
