import { describe, expect, it } from 'vitest';
import { BUILTIN_ROLES, PERMISSION_NAMES, permits } from './permissions.js';
import { CreateGrantBody } from './grants.js';
import { Username } from './common.js';

describe('permissions', () => {
  it('lets `*` and `resource:*` cover what they name, and nothing else', () => {
    expect(permits(['*'], 'user:write')).toBe(true);
    expect(permits(['user:*'], 'user:write')).toBe(true);
    expect(permits(['user:*'], 'team:write')).toBe(false);
    expect(permits(['user:read'], 'user:write')).toBe(false);
    expect(permits([], 'user:read')).toBe(false);
  });

  it('gives built-in roles only permissions that exist, and the viewer nothing that writes', () => {
    for (const [name, role] of Object.entries(BUILTIN_ROLES)) {
      for (const p of role.permissions) expect(p === '*' || PERMISSION_NAMES.includes(p as never), `${name}: ${p}`).toBe(true);
    }
    expect(BUILTIN_ROLES.viewer.permissions.some((p) => p.endsWith(':write'))).toBe(false);
  });
});

describe('schemas', () => {
  it('lower-cases usernames so Admin and admin are one account', () => {
    expect(Username.parse('Admin')).toBe('admin');
    expect(Username.safeParse('has space').success).toBe(false);
    expect(Username.safeParse('-dash-first').success).toBe(false);
  });

  it('wants exactly one subject in a grant', () => {
    const id = '01900000-0000-7000-8000-000000000000';
    expect(CreateGrantBody.safeParse({ userId: id, role: 'viewer' }).success).toBe(true);
    expect(CreateGrantBody.safeParse({ userId: id, teamId: id, role: 'viewer' }).success).toBe(false);
    expect(CreateGrantBody.safeParse({ role: 'viewer' }).success).toBe(false);
  });
});
