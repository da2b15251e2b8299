import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Session tokens start `ols_`, API tokens `olt_`: one glance tells which table holds the hash. */
export const SESSION_PREFIX = 'ols_';
export const API_TOKEN_PREFIX = 'olt_';

export function newToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
