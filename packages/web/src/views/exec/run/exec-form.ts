import { DEFAULT_TIMEOUT_SEC, EnvName, ExecBody, ExecTask, INTERPRETERS, RunAsUser, type FieldIssue, type Interpreter } from '@opsline/contracts';
import type { FormItemRule, FormRules } from 'naive-ui';
import type { ApiError } from '../../../api/client';
import type { ExecRequest } from '../../../api/exec';
import { schemaRule } from '../../../platform/forms/rules';
import { i18n } from '../../../platform/i18n';
import type { KeyValueRow } from '../../cmdb/shared/labels';
import { firstRepeated, rowsRule } from '../../cmdb/shared/rows';

/** `auto`: no interpreter sent, so the script's `#!` line decides (bash without one). */
export type InterpreterChoice = Interpreter | 'auto';

export interface ExecModel {
  hostIds: string[];
  interpreter: InterpreterChoice;
  script: string;
  args: string[];
  params: KeyValueRow[];
  env: KeyValueRow[];
  runAs: string;
  workdir: string;
  timeoutSec: number | null;
}

export const emptyExecModel = (): ExecModel => ({
  hostIds: [],
  interpreter: 'auto',
  script: '',
  args: [],
  params: [],
  env: [],
  runAs: '',
  workdir: '',
  timeoutSec: DEFAULT_TIMEOUT_SEC,
});

export const interpreterOptions = () => [
  { value: 'auto', label: i18n.global.t('exec.interpreterAuto') },
  ...INTERPRETERS.map((value) => ({ value, label: value })),
];

const MAX_VARS = 256;
const isBlank = (row: KeyValueRow): boolean => row.key.trim() === '' && row.value === '';

export const isBadVarName = (row: KeyValueRow): boolean => !isBlank(row) && !EnvName.safeParse(row.key.trim()).success;

/** Parameter and environment names as the server checks them, said in the console's language. */
function varsProblem(rows: readonly KeyValueRow[]): string | null {
  const { t } = i18n.global;
  const filled = rows.filter((r) => !isBlank(r));
  if (filled.length > MAX_VARS) return t('exec.varsTooMany', { max: MAX_VARS });
  for (const row of filled) {
    if (row.key.trim() === '') return t('exec.varNameMissing', { value: row.value });
    if (isBadVarName(row)) return t('exec.varNameFormat', { name: row.key });
  }
  const repeated = firstRepeated(filled.map((r) => r.key.trim()));
  return repeated === null ? null : t('exec.varRepeated', { name: repeated });
}

/** Values go as they are typed: spaces may matter to a script. */
const varsRecord = (rows: readonly KeyValueRow[]): Record<string, string> =>
  Object.fromEntries(rows.filter((r) => !isBlank(r)).map((r) => [r.key.trim(), r.value]));

/** How many of the folded-away options carry a value, so a folded form still says they will be sent. */
export const extrasSet = (m: ExecModel): number =>
  m.args.length + Object.keys(varsRecord(m.params)).length + Object.keys(varsRecord(m.env)).length + (m.workdir.trim() ? 1 : 0);

export function execRules(): FormRules {
  const { t } = i18n.global;
  const workdir: FormItemRule = {
    trigger: ['blur', 'input'],
    validator: (_r, v: string) => (v.trim() === '' || v.trim().startsWith('/') ? true : new Error(t('exec.workdirAbsolute'))),
  };
  return {
    hostIds: schemaRule(ExecBody.shape.hostIds, { required: true }),
    script: schemaRule(ExecTask.shape.script, { required: true }),
    runAs: schemaRule(RunAsUser, { formatKey: 'exec.runAsFormat' }),
    workdir,
    timeoutSec: schemaRule(ExecTask.shape.timeoutSec, { required: true }),
    params: rowsRule<KeyValueRow>(varsProblem),
    env: rowsRule<KeyValueRow>(varsProblem),
  };
}

export function execBody(m: ExecModel): ExecRequest {
  return {
    hostIds: m.hostIds,
    script: m.script,
    interpreter: m.interpreter === 'auto' ? undefined : m.interpreter,
    args: m.args,
    params: varsRecord(m.params),
    env: varsRecord(m.env),
    runAs: m.runAs.trim() || undefined,
    workdir: m.workdir.trim() || undefined,
    timeoutSec: m.timeoutSec ?? undefined,
  };
}

/**
 * 409 EXEC_NO_EXECUTOR names the hosts nothing reaches: keep the names in
 * the console's sentence — from `details.hostnames` when the server sends
 * them, else from its field message (`unreachable: a, b`).
 */
export function execIssueText(err: ApiError, issue: FieldIssue): string | null {
  if (err.code !== 'EXEC_NO_EXECUTOR') return null;
  const details = err.details as { hostnames?: unknown } | undefined;
  const named = Array.isArray(details?.hostnames) ? details.hostnames.join(', ') : issue.message.slice(issue.message.indexOf(':') + 1).trim();
  return i18n.global.t('exec.noExecutor', { hosts: named });
}
