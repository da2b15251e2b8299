import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '@opsline/test-utils';
import { DAY } from '@opsline/server';

describe('API tokens and passwords', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('shows a new token once, lists it without the secret, and stops it working once revoked', async () => {
    const u = await t.userWithRoles(['viewer']);
    const res = await t.call({ method: 'POST', url: '/api/v1/tokens', token: u.token, body: { name: 'ci deploy' } });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created.token).toMatch(/^olt_/);
    const list = await t.call({ method: 'GET', url: '/api/v1/tokens', token: u.token });
    expect(list.json().items.map((i: { name: string }) => i.name)).toContain('ci deploy');
    expect(list.body).not.toContain(created.token);
    expect((await t.call({ method: 'GET', url: '/api/v1/auth/me', token: created.token })).json().authMethod).toBe('token');
    expect((await t.call({ method: 'DELETE', url: `/api/v1/tokens/${created.id}`, token: u.token })).statusCode).toBe(200);
    expect((await t.call({ method: 'GET', url: '/api/v1/auth/me', token: created.token })).statusCode).toBe(401);
  });

  it('expires a token at its expiry date', async () => {
    const u = await t.userWithRoles(['viewer']);
    const created = (await t.call({ method: 'POST', url: '/api/v1/tokens', token: u.token, body: { name: 'short', expiresInDays: 1 } })).json();
    expect((await t.call({ method: 'GET', url: '/api/v1/auth/me', token: created.token })).statusCode).toBe(200);
    t.clock.advance(DAY + 1000);
    expect((await t.call({ method: 'GET', url: '/api/v1/auth/me', token: created.token })).statusCode).toBe(401);
  });

  it('does not let one user revoke another user\'s token', async () => {
    const a = await t.userWithRoles(['viewer']);
    const b = await t.userWithRoles(['viewer']);
    const created = (await t.call({ method: 'POST', url: '/api/v1/tokens', token: a.token, body: { name: 'mine' } })).json();
    expect((await t.call({ method: 'DELETE', url: `/api/v1/tokens/${created.id}`, token: b.token })).statusCode).toBe(404);
    expect((await t.call({ method: 'GET', url: '/api/v1/auth/me', token: created.token })).statusCode).toBe(200);
  });

  it('changes the password only with the current one, ending the other sessions', async () => {
    const u = await t.userWithRoles(['viewer']);
    const here = await t.login(u.username, u.password);
    const wrong = await t.call({ method: 'POST', url: '/api/v1/auth/password', token: here.token, body: { currentPassword: 'nope-nope', newPassword: 'brand-new-pass' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().details?.issues?.[0]?.field ?? wrong.json().error.details.issues[0].field).toBe('body.currentPassword');
    const ok = await t.call({ method: 'POST', url: '/api/v1/auth/password', token: here.token, body: { currentPassword: u.password, newPassword: 'brand-new-pass' } });
    expect(ok.statusCode).toBe(200);
    expect((await t.call({ method: 'GET', url: '/api/v1/auth/me', token: here.token })).statusCode).toBe(200);
    expect((await t.call({ method: 'GET', url: '/api/v1/auth/me', token: u.token })).statusCode).toBe(401);
    await expect(t.login(u.username, u.password)).rejects.toThrow();
    expect((await t.login(u.username, 'brand-new-pass')).token).toMatch(/^ols_/);
  });
});
