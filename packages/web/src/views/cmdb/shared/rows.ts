import type { FormItemRule } from 'naive-ui';

/**
 * A form rule over an editor's rows (labels, disks, ports): `check` names the
 * first problem, or null. Rows the user left blank are not its business.
 */
export function rowsRule<T>(check: (rows: T[]) => string | null): FormItemRule {
  return {
    trigger: ['blur', 'input', 'change'],
    validator: (_rule, value: unknown) => {
      const problem = check(Array.isArray(value) ? (value as T[]) : []);
      return problem === null ? true : new Error(problem);
    },
  };
}

/** The first value that occurs twice, or null. */
export function firstRepeated(values: readonly string[]): string | null {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) return v;
    seen.add(v);
  }
  return null;
}
