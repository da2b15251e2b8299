import type { ScriptParam } from '@opsline/contracts';
import { AppError } from '../../platform/errors/app-error.js';

/**
 * Checks parameter values against a script's declarations: defaults applied,
 * required ones present, numbers numeric, bools `true`/`false`, enums one of
 * their options, no undeclared names. Answers plain and secret values apart.
 * `field` names where the values came from (`body.params`).
 */
export function resolveParams(declared: ScriptParam[], given: Record<string, string>, field: string): { plain: Record<string, string>; secret: Record<string, string> } {
  const issues: { field: string; message: string }[] = [];
  const byName = new Map(declared.map((p) => [p.name, p]));
  for (const name of Object.keys(given)) if (!byName.has(name)) issues.push({ field: `${field}.${name}`, message: 'the script declares no such parameter' });
  const plain: Record<string, string> = {};
  const secret: Record<string, string> = {};
  for (const p of declared) {
    const value = given[p.name] ?? p.default;
    const at = `${field}.${p.name}`;
    if (value === undefined || value === '') {
      if (p.required) issues.push({ field: at, message: 'required' });
      continue;
    }
    if (p.type === 'number' && !/^-?\d+(\.\d+)?$/.test(value)) issues.push({ field: at, message: 'a number' });
    if (p.type === 'bool' && value !== 'true' && value !== 'false') issues.push({ field: at, message: 'true or false' });
    if (p.type === 'enum' && !(p.options ?? []).includes(value)) issues.push({ field: at, message: `one of ${(p.options ?? []).join(', ')}` });
    (p.secret ? secret : plain)[p.name] = value;
  }
  if (issues.length) throw new AppError('VALIDATION_FAILED', issues.map((i) => `${i.field}: ${i.message}`).join('; '), { issues });
  return { plain, secret };
}
