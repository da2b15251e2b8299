import { JobTemplateBody, type JobTemplateView, type ScriptParam, type UpdateJobTemplateBody } from '@opsline/contracts';
import type { FormRules } from 'naive-ui';
import { requiredRule, schemaRule } from '../../../platform/forms/rules';
import { i18n } from '../../../platform/i18n';
import { initialValues, valuesBody } from '../shared/param-values';
import { strategyBody, strategyModel, type StrategyModel } from '../shared/strategy-form';
import { targetsRule } from '../shared/targets';

export interface TemplateModel {
  name: string;
  description: string;
  nodeId: string | null;
  scriptId: string | null;
  /** A fixed version; otherwise each run takes the script's latest. */
  pinned: boolean;
  version: number | null;
  params: Record<string, string>;
  targets: { hostIds: string[]; nodeIds: string[] };
  strategy: StrategyModel;
}

export function templateModel(tpl: JobTemplateView | null, declared: readonly ScriptParam[] = []): TemplateModel {
  return {
    name: tpl?.name ?? '',
    description: tpl?.description ?? '',
    nodeId: tpl?.nodeId ?? null,
    scriptId: tpl?.scriptId ?? null,
    pinned: tpl ? tpl.scriptVersion !== null : false,
    version: tpl?.scriptVersion ?? null,
    params: initialValues(declared, tpl?.params),
    targets: { hostIds: [...(tpl?.targets.hostIds ?? [])], nodeIds: [...(tpl?.targets.nodeIds ?? [])] },
    strategy: strategyModel(tpl?.strategy),
  };
}

export function templateRules(m: TemplateModel): FormRules {
  return {
    name: schemaRule(JobTemplateBody.shape.name, { required: true }),
    description: schemaRule(JobTemplateBody.shape.description),
    scriptId: requiredRule(),
    version: {
      trigger: ['change', 'blur'],
      validator: (_r, v: number | null) => (!m.pinned || v !== null ? true : new Error(i18n.global.t('validation.required'))),
    },
    targets: targetsRule(() => m.targets),
  };
}

export function createBody(m: TemplateModel, declared: readonly ScriptParam[]): JobTemplateBody {
  return {
    name: m.name.trim(),
    ...(m.description.trim() && { description: m.description.trim() }),
    scriptId: m.scriptId ?? '',
    ...(m.pinned && m.version !== null && { scriptVersion: m.version }),
    params: valuesBody(declared, m.params),
    targets: { hostIds: m.targets.hostIds, nodeIds: m.targets.nodeIds },
    strategy: strategyBody(m.strategy),
    ...(m.nodeId && { nodeId: m.nodeId }),
  };
}

/** JSON with keys sorted, to compare what the server answered with what the form would send. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
const same = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

/** Only what changed; a secret left empty keeps its stored value (it is not sent). */
export function updateBody(tpl: JobTemplateView, m: TemplateModel, declared: readonly ScriptParam[]): UpdateJobTemplateBody {
  const next = createBody(m, declared);
  const body: UpdateJobTemplateBody = {};
  if (next.name !== tpl.name) body.name = next.name;
  if ((next.description ?? '') !== tpl.description) body.description = next.description ?? '';
  if (next.scriptId !== tpl.scriptId) body.scriptId = next.scriptId;
  if ((next.scriptVersion ?? null) !== tpl.scriptVersion) body.scriptVersion = next.scriptVersion ?? null;
  const storedPlain = Object.fromEntries(Object.entries(tpl.params).filter(([, v]) => v !== ''));
  if (!same(next.params, storedPlain) || body.scriptId !== undefined) body.params = next.params;
  if (!same(next.targets, tpl.targets)) body.targets = next.targets;
  if (!same(next.strategy, tpl.strategy)) body.strategy = next.strategy;
  if ((next.nodeId ?? null) !== tpl.nodeId) body.nodeId = next.nodeId ?? null;
  return body;
}
