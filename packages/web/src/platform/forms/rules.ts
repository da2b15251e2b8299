import type { FormItemRule } from 'naive-ui';
import { i18n } from '../i18n';

/** The part of a zod issue the messages need (kept structural: the console does not import zod). */
interface SchemaIssue {
  code: string;
  message: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  format?: string;
}

/** Anything with zod's `safeParse`: the contracts' schemas. */
export interface Schema {
  safeParse(value: unknown): { success: true } | { success: false; error: { issues: SchemaIssue[] } };
}

function issueText(issue: SchemaIssue, formatKey: string | undefined): string {
  const { t } = i18n.global;
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'array') return t('validation.minItems', { min: Number(issue.minimum) });
      if (issue.origin === 'number') return t('validation.minNumber', { min: Number(issue.minimum) });
      return Number(issue.minimum) <= 1 ? t('validation.required') : t('validation.minLength', { min: Number(issue.minimum) });
    case 'too_big':
      if (issue.origin === 'array') return t('validation.maxItems', { max: Number(issue.maximum) });
      if (issue.origin === 'number') return t('validation.maxNumber', { max: Number(issue.maximum) });
      return t('validation.maxLength', { max: Number(issue.maximum) });
    case 'invalid_format':
      if (issue.format === 'email') return t('validation.email');
      if (issue.format === 'uuid') return t('validation.uuid');
      return formatKey ? t(formatKey) : t('validation.format');
    case 'invalid_type':
      return t('validation.required');
    default:
      return issue.message;
  }
}

const isBlank = (value: unknown): boolean =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

/**
 * A form rule checked by a contracts schema, so the console validates exactly
 * what the server will; messages come from i18n. Blank optional fields pass.
 */
export function schemaRule(schema: Schema, opts: { required?: boolean; formatKey?: string } = {}): FormItemRule {
  return {
    trigger: ['blur', 'input', 'change'],
    required: opts.required ?? false,
    validator: (_rule, value: unknown) => {
      if (isBlank(value)) return opts.required ? new Error(i18n.global.t('validation.required')) : true;
      const result = schema.safeParse(value);
      if (result.success) return true;
      const first = result.error.issues[0];
      return new Error(first ? issueText(first, opts.formatKey) : i18n.global.t('validation.format'));
    },
  };
}

export function requiredRule(): FormItemRule {
  return {
    trigger: ['blur', 'input', 'change'],
    required: true,
    validator: (_rule, value: unknown) => (isBlank(value) ? new Error(i18n.global.t('validation.required')) : true),
  };
}

/** The "confirm password" field matches `other()`. */
export function sameAsRule(other: () => string): FormItemRule {
  return {
    trigger: ['blur', 'input'],
    required: true,
    validator: (_rule, value: unknown) => {
      if (isBlank(value)) return new Error(i18n.global.t('validation.required'));
      return value === other() ? true : new Error(i18n.global.t('validation.passwordMismatch'));
    },
  };
}
