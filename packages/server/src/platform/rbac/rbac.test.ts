import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '@opsline/test-utils';

describe('roles and grants', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  const as = (token: string) => ({
    get: (url: string) => t.call({ method: 'GET', url, token }),
    post: (url: string, body: unknown) => t.call({ method: 'POST', url, token, body }),
    patch: (url: string, body: unknown) => t.call({ method: 'PATCH', url, token, body }),
    del: (url: string) => t.call({ method: 'DELETE', url, token }),
  });
  const admin = () => as(t.adminToken);

  it('lists the built-in roles and the permission registry', async () => {
    const roles = (await admin().get('/api/v1/roles')).json().items;
    expect(roles.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['admin', 'operator', 'developer', 'viewer']));
    expect(roles.every((r: { builtin: boolean }) => r.builtin)).toBe(true);
    const perms = (await admin().get('/api/v1/permissions')).json().items.map((p: { name: string }) => p.name);
    expect(perms).toEqual(expect.arrayContaining(['user:read', 'user:write', 'audit:read']));
  });

  it('refuses to change or delete a built-in role', async () => {
    const viewer = (await admin().get('/api/v1/roles')).json().items.find((r: { name: string }) => r.name === 'viewer');
    expect((await admin().patch(`/api/v1/roles/${viewer.id}`, { permissions: ['*'] })).json().error.code).toBe('ROLE_BUILTIN');
    expect((await admin().del(`/api/v1/roles/${viewer.id}`)).json().error.code).toBe('ROLE_BUILTIN');
  });

  it('grants a custom role through a team, and the permission follows the membership', async () => {
    const auditor = (await admin().post('/api/v1/roles', { name: 'auditor', description: 'reads the audit log', permissions: ['audit:read'] })).json();
    const u = await t.userWithRoles(['viewer']);
    expect((await as(u.token).get('/api/v1/audit')).statusCode).toBe(403);
    const team = (await admin().post('/api/v1/teams', { name: 'compliance', memberIds: [u.id] })).json();
    const grant = await admin().post('/api/v1/grants', { teamId: team.id, role: 'auditor' });
    expect(grant.statusCode).toBe(201);
    expect(grant.json()).toMatchObject({ subjectName: 'compliance', role: 'auditor', nodeId: null });
    expect((await as(u.token).get('/api/v1/audit')).statusCode).toBe(200);
    expect((await as(u.token).get('/api/v1/auth/me')).json().permissions).toContain('audit:read');
    await admin().patch(`/api/v1/teams/${team.id}`, { memberIds: [] });
    expect((await as(u.token).get('/api/v1/audit')).statusCode).toBe(403);
    expect((await admin().del(`/api/v1/roles/${auditor.id}`)).json().error.code).toBe('ROLE_IN_USE');
    await admin().del(`/api/v1/grants/${grant.json().id}`);
    expect((await admin().del(`/api/v1/roles/${auditor.id}`)).statusCode).toBe(200);
  });

  it('keeps node-scoped grants off the global permissions, and checks them on the node', async () => {
    const u = await t.userWithRoles(['viewer']);
    const nodeId = (await admin().post('/api/v1/tree/nodes', { name: 'scoped' })).json().id as string;
    const sibling = (await admin().post('/api/v1/tree/nodes', { name: 'other' })).json().id as string;
    const ghost = await admin().post('/api/v1/grants', { userId: u.id, role: 'operator', nodeId: '01900000-0000-7000-8000-0000000000aa' });
    expect(ghost.json().error.details.issues[0].field).toBe('body.nodeId');
    const g = await admin().post('/api/v1/grants', { userId: u.id, role: 'operator', nodeId });
    expect(g.statusCode).toBe(201);
    expect((await as(u.token).get('/api/v1/audit')).statusCode).toBe(403);
    expect(await t.app.platform.rbac.can(u.id, 'audit:read', nodeId)).toBe(true);
    expect(await t.app.platform.rbac.can(u.id, 'audit:read', sibling)).toBe(false);
    expect((await admin().post('/api/v1/grants', { userId: u.id, role: 'operator', nodeId })).json().error.code).toBe('GRANT_EXISTS');
    expect((await admin().get(`/api/v1/grants?nodeId=${nodeId}`)).json().items).toHaveLength(1);
  });

  it('answers 403 naming the missing permission', async () => {
    const u = await t.userWithRoles(['developer']);
    const res = await as(u.token).post('/api/v1/users', { username: 'x-y', password: 'password-123' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'FORBIDDEN', details: { permission: 'user:write' } });
    expect(res.json().error.message).toContain('user:write');
  });

  it('rejects a grant naming both a user and a team, or neither', async () => {
    const u = await t.userWithRoles(['viewer']);
    const team = (await admin().post('/api/v1/teams', { name: 'both' })).json();
    expect((await admin().post('/api/v1/grants', { userId: u.id, teamId: team.id, role: 'viewer' })).statusCode).toBe(400);
    expect((await admin().post('/api/v1/grants', { role: 'viewer' })).statusCode).toBe(400);
  });
});
