import { StepKey, type FieldIssue, type WorkflowBody, type WorkflowView } from '@opsline/contracts';
import { i18n } from '../../../../platform/i18n';

/**
 * A workflow while it is edited, and where the problems with it show. Steps
 * carry a `uid` of their own, so a problem stays on its step while keys are
 * renamed and steps move. Problems are keyed by place: `name`, `steps` (the
 * whole list: a cycle), `<uid>.key|name|type|needs`, `<uid>.params` (the
 * step's parameters as a whole) and `<uid>.params.<field>`.
 */

export interface StepDraft {
  uid: string;
  key: string;
  name: string;
  type: string | null;
  needs: string[];
  params: Record<string, unknown>;
}

export interface WorkflowDraft {
  name: string;
  description: string;
  steps: StepDraft[];
}

export type Problems = Record<string, string>;

let counter = 0;
const uid = (): string => `s${++counter}`;

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export function draftOf(w: WorkflowView | null): WorkflowDraft {
  return {
    name: w?.name ?? '',
    description: w?.description ?? '',
    steps: (w?.steps ?? []).map((s) => ({ uid: uid(), key: s.key, name: s.name, type: s.type, needs: [...s.needs], params: clone(s.params) })),
  };
}

/** A new step with a key no other step has. */
export function newStep(steps: readonly StepDraft[]): StepDraft {
  const taken = new Set(steps.map((s) => s.key));
  let n = steps.length + 1;
  while (taken.has(`step-${n}`)) n += 1;
  return { uid: uid(), key: `step-${n}`, name: '', type: null, needs: [], params: {} };
}

export function bodyOf(d: WorkflowDraft): WorkflowBody {
  return {
    name: d.name.trim(),
    description: d.description.trim(),
    steps: d.steps.map((s) => ({ key: s.key.trim(), name: s.name.trim(), type: s.type ?? '', params: clone(s.params), needs: s.needs })),
  };
}

const isEmpty = (v: unknown): boolean =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);

export function valueAt(params: Record<string, unknown>, path: readonly string[]): unknown {
  let at: unknown = params;
  for (const p of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[p];
  }
  return at;
}

/** Sets a parameter; an empty value removes it (and a group left empty), so the server's default applies. */
export function setValueAt(params: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    if (isEmpty(value)) delete params[head];
    else params[head] = value;
    return;
  }
  const current = params[head];
  const child = typeof current === 'object' && current !== null && !Array.isArray(current) ? (current as Record<string, unknown>) : {};
  setValueAt(child, rest, value);
  if (isEmpty(child)) delete params[head];
  else params[head] = child;
}

/** What the console can tell before asking the server: names given, keys well formed and unique, a type chosen. */
export function draftProblems(d: WorkflowDraft): Problems {
  const { t } = i18n.global;
  const out: Problems = {};
  if (!d.name.trim()) out.name = t('validation.required');
  const seen = new Set<string>();
  for (const s of d.steps) {
    const key = s.key.trim();
    if (!key) out[`${s.uid}.key`] = t('validation.required');
    else if (!StepKey.safeParse(key).success) out[`${s.uid}.key`] = t('automation.workflows.keyFormat');
    else if (seen.has(key)) out[`${s.uid}.key`] = t('automation.workflows.keyTaken', { key });
    seen.add(key);
    if (!s.name.trim()) out[`${s.uid}.name`] = t('validation.required');
    if (!s.type) out[`${s.uid}.type`] = t('validation.required');
  }
  return out;
}

/**
 * The server's field issues (`body.steps.2.params.url`) on the places that
 * show them. `fieldsOf(step)` lists the parameter fields the step's form
 * has; an issue deeper than those lands on the nearest one, else on the
 * step's parameters as a whole.
 */
export function placeIssues(issues: readonly FieldIssue[], steps: readonly StepDraft[], fieldsOf: (s: StepDraft) => readonly string[]): Problems {
  const out: Problems = {};
  const put = (place: string, message: string) => {
    out[place] = out[place] ? `${out[place]}; ${message}` : message;
  };
  for (const issue of issues) {
    const parts = issue.field.split('.');
    if (parts[0] === 'body') parts.shift();
    const [top, index, field, ...rest] = parts;
    if (top !== 'steps') {
      put(top ?? 'form', issue.message);
      continue;
    }
    const step = index === undefined ? undefined : steps[Number(index)];
    if (!step) {
      put('steps', issue.message);
      continue;
    }
    if (field === 'params') {
      const known = new Set(fieldsOf(step));
      let path = rest;
      while (path.length > 0 && !known.has(path.join('.'))) path = path.slice(0, -1);
      put(path.length > 0 ? `${step.uid}.params.${path.join('.')}` : `${step.uid}.params`, issue.message);
    } else if (field === 'key' || field === 'name' || field === 'type' || field === 'needs') {
      put(`${step.uid}.${field}`, issue.message);
    } else {
      put(`${step.uid}.params`, issue.message);
    }
  }
  return out;
}
