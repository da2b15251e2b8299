import type { ScriptParam } from '@opsline/contracts';
import type { FormItemRule } from 'naive-ui';
import { i18n } from '../../../platform/i18n';

/**
 * The values a form starts with for a script's parameters: what is stored (a
 * template's), else empty, so the script's default applies (the field says
 * it). A secret starts empty: its stored value is never answered (a template
 * says "" for set), and empty keeps it.
 */
export function initialValues(declared: readonly ScriptParam[], stored: Readonly<Record<string, string>> = {}): Record<string, string> {
  return Object.fromEntries(declared.map((p) => [p.name, p.secret ? '' : (stored[p.name] ?? '')]));
}

/** Names of the secret parameters that hold a value on the server (a template answers them as ""). */
export const storedSecretsOf = (declared: readonly ScriptParam[], stored: Readonly<Record<string, string>>): string[] =>
  declared.filter((p) => p.secret && stored[p.name] === '').map((p) => p.name);

/** The values to send: only declared names, only those filled in (an empty secret keeps the stored one). */
export function valuesBody(declared: readonly ScriptParam[], values: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(declared.flatMap((p) => (values[p.name] ? [[p.name, values[p.name] as string]] : [])));
}

/**
 * The rule of one parameter's field: a number must be one; with `requireValues`
 * (a run about to start) a required one needs a value, a default or a stored secret.
 */
export function paramRule(p: ScriptParam, requireValues: boolean, stored: boolean): FormItemRule {
  const { t } = i18n.global;
  return {
    trigger: ['blur', 'input', 'change'],
    required: requireValues && p.required && p.default === undefined && !stored,
    validator: (_r, v: string | undefined) => {
      const value = v ?? '';
      if (value === '') return requireValues && p.required && p.default === undefined && !stored ? new Error(t('validation.required')) : true;
      if (p.type === 'number' && !/^-?\d+(\.\d+)?$/.test(value)) return new Error(t('jobs.params.notANumber'));
      return true;
    },
  };
}
