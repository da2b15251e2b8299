import {
  CreateScriptBody,
  EnvName,
  MAX_SCRIPT_BYTES,
  ScriptParam,
  type ParamType,
  type ScriptLanguage,
  type ScriptView,
  type UpdateScriptBody,
} from '@opsline/contracts';
import type { FormRules } from 'naive-ui';
import { schemaRule } from '../../../platform/forms/rules';
import { i18n } from '../../../platform/i18n';
import { firstRepeated, rowsRule } from '../../cmdb/shared/rows';

/** One declared parameter while editing: every field present, so inputs bind to strings. */
export interface ParamRow {
  name: string;
  type: ParamType;
  description: string;
  default: string;
  required: boolean;
  secret: boolean;
  options: string[];
}

export interface ScriptModel {
  name: string;
  language: ScriptLanguage;
  nodeId: string | null;
  description: string;
  content: string;
  params: ParamRow[];
  /** What this save changes (the new version's message). */
  message: string;
}

const STARTERS: Record<ScriptLanguage, string> = {
  bash: '#!/bin/bash\nset -euo pipefail\n\n',
  sh: '#!/bin/sh\nset -eu\n\n',
  python3: '#!/usr/bin/env python3\nimport os\n\n',
};

/** What a new script starts with in the editor. */
export const starterContent = (language: ScriptLanguage): string => STARTERS[language];

export const paramRow = (p?: ScriptParam): ParamRow => ({
  name: p?.name ?? '',
  type: p?.type ?? 'string',
  description: p?.description ?? '',
  default: p?.default ?? '',
  required: p?.required ?? false,
  secret: p?.secret ?? false,
  options: p?.options ? [...p.options] : [],
});

export function scriptModel(script: ScriptView | null): ScriptModel {
  return {
    name: script?.name ?? '',
    language: script?.language ?? 'bash',
    nodeId: script?.node?.id ?? null,
    description: script?.description ?? '',
    content: script?.content ?? starterContent('bash'),
    params: (script?.params ?? []).map(paramRow),
    message: '',
  };
}

/** A row as the API takes it: empty optional fields left out, a secret never has a default. */
export function paramOf(row: ParamRow): ScriptParam {
  return {
    name: row.name.trim(),
    type: row.type,
    ...(row.description.trim() && { description: row.description.trim() }),
    ...(row.default !== '' && !row.secret && { default: row.default }),
    required: row.required,
    secret: row.secret,
    ...(row.type === 'enum' && { options: row.options }),
  };
}

/** The first problem with the declared parameters, in the console's language; null when there is none. */
export function paramsProblem(rows: readonly ParamRow[]): string | null {
  const { t } = i18n.global;
  for (const row of rows) {
    const name = row.name.trim();
    if (!name) return t('jobs.params.nameMissing');
    if (!EnvName.safeParse(name).success) return t('jobs.params.nameFormat', { name });
    if (row.type === 'enum' && row.options.length === 0) return t('jobs.params.optionsMissing', { name });
    if (row.default !== '' && !row.secret && !ScriptParam.safeParse(paramOf(row)).success) return t('jobs.params.defaultMismatch', { name });
  }
  const repeated = firstRepeated(rows.map((r) => r.name.trim().toUpperCase()));
  return repeated === null ? null : t('jobs.params.repeated', { name: repeated });
}

export function scriptRules(): FormRules {
  return {
    name: schemaRule(CreateScriptBody.shape.name, { required: true }),
    description: schemaRule(CreateScriptBody.shape.description),
    content: {
      trigger: ['blur', 'change'],
      required: true,
      validator: (_r, v: string) => {
        const { t } = i18n.global;
        if (!v.trim()) return new Error(t('jobs.scripts.contentEmpty'));
        return new TextEncoder().encode(v).length > MAX_SCRIPT_BYTES ? new Error(t('jobs.scripts.contentTooLarge')) : true;
      },
    },
    params: rowsRule<ParamRow>(paramsProblem),
  };
}

export function createBody(m: ScriptModel): CreateScriptBody {
  return {
    name: m.name.trim(),
    language: m.language,
    content: m.content,
    params: m.params.map(paramOf),
    ...(m.nodeId && { nodeId: m.nodeId }),
    ...(m.description.trim() && { description: m.description.trim() }),
  };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Only what changed; content, parameters or language make a new version, which the message describes. */
export function updateBody(script: ScriptView, m: ScriptModel): UpdateScriptBody {
  const body: UpdateScriptBody = {};
  if (m.name.trim() !== script.name) body.name = m.name.trim();
  if (m.description.trim() !== script.description) body.description = m.description.trim();
  if (m.nodeId !== (script.node?.id ?? null)) body.nodeId = m.nodeId;
  if (m.language !== script.language) body.language = m.language;
  if (m.content !== script.content) body.content = m.content;
  const params = m.params.map(paramOf);
  if (!same(params, script.params.map((p) => paramOf(paramRow(p))))) body.params = params;
  if (isNewVersion(body) && m.message.trim()) body.message = m.message.trim();
  return body;
}

export const isNewVersion = (body: UpdateScriptBody): boolean => body.content !== undefined || body.params !== undefined || body.language !== undefined;
