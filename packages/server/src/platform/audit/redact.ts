/** Keys whose values never enter the audit log, at any depth: `password`, `csrfToken`, `passwordHash` … (not `tokenId`). */
const SECRET_KEY = /(password|passphrase|secret|token|sealed|credentials?|privatekey|apikey|secretkey|hash)$/i;
const MAX_DEPTH = 8;

export const REDACTED = '[redacted]';

/** A copy of `value` safe for the audit log: secret-looking keys masked, depth bounded. */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[truncated]';
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? REDACTED : redact(v, depth + 1);
  return out;
}
