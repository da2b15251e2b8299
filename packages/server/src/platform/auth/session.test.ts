import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '@opsline/test-utils';
import { HOUR, MINUTE } from '@opsline/server';

const cookie = (token: string): Record<string, string> => ({ cookie: `opsline_session=${token}` });

describe('sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());
  // Each test starts in a fresh minute, so the per-address sign-in limit never spills over.
  beforeEach(() => t.clock.advance(MINUTE));

  const me = (token: string, headers: Record<string, string> = {}) => t.call({ method: 'GET', url: '/api/v1/auth/me', token, headers });

  it('sets an HttpOnly SameSite=Lax session cookie and a readable CSRF cookie at login', async () => {
    const u = await t.userWithRoles(['viewer']);
    const res = await t.call({ method: 'POST', url: '/api/v1/auth/login', body: { username: u.username, password: u.password } });
    const cookies = res.cookies;
    const session = cookies.find((c) => c.name === 'opsline_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');
    expect(session?.value).toBe(res.json().token);
    expect(cookies.find((c) => c.name === 'opsline_csrf')?.httpOnly).toBeFalsy();
    expect((await t.call({ method: 'GET', url: '/api/v1/auth/me', headers: cookie(res.json().token) })).statusCode).toBe(200);
  });

  it('rotates the session id at login and ends the session the browser came with', async () => {
    const u = await t.userWithRoles(['viewer']);
    const first = await t.login(u.username, u.password);
    const res = await t.call({ method: 'POST', url: '/api/v1/auth/login', headers: cookie(first.token), body: { username: u.username, password: u.password } });
    expect(res.statusCode).toBe(200);
    expect(res.json().token).not.toBe(first.token);
    expect((await me(first.token)).statusCode).toBe(401);
    expect((await me(res.json().token)).statusCode).toBe(200);
  });

  it('logout kills the session on the server, not just the cookie', async () => {
    const u = await t.userWithRoles(['viewer']);
    const s = await t.login(u.username, u.password);
    const out = await t.call({ method: 'POST', url: '/api/v1/auth/logout', token: s.token });
    expect(out.statusCode).toBe(200);
    const again = await me(s.token);
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('AUTH_TOKEN_INVALID');
  });

  it('ends a session idle longer than the idle timeout, and keeps an active one', async () => {
    const u = await t.userWithRoles(['viewer']);
    const active = await t.login(u.username, u.password);
    const idle = await t.login(u.username, u.password);
    t.clock.advance(100 * MINUTE);
    expect((await me(active.token)).statusCode).toBe(200);
    t.clock.advance(100 * MINUTE);
    expect((await me(active.token)).statusCode).toBe(200);
    const res = await me(idle.token);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('AUTH_SESSION_EXPIRED');
  });

  it('ends even an active session at the absolute timeout', async () => {
    const u = await t.userWithRoles(['viewer']);
    const s = await t.login(u.username, u.password);
    for (let h = 0; h < 23; h++) {
      t.clock.advance(HOUR);
      expect((await me(s.token)).statusCode).toBe(200);
    }
    t.clock.advance(HOUR);
    expect((await me(s.token)).json().error.code).toBe('AUTH_SESSION_EXPIRED');
  });

  it('refuses a cookie-authenticated change without the session CSRF token, or from another site', async () => {
    const s = await t.login('admin', 'admin-password-1');
    const body = { name: 'csrf-check' };
    const bare = await t.call({ method: 'POST', url: '/api/v1/tokens', headers: cookie(s.token), body });
    expect(bare.statusCode).toBe(403);
    expect(bare.json().error.code).toBe('CSRF_REJECTED');
    const wrong = await t.call({ method: 'POST', url: '/api/v1/tokens', headers: { ...cookie(s.token), 'x-csrf-token': 'nope' }, body });
    expect(wrong.statusCode).toBe(403);
    const foreign = await t.call({
      method: 'POST', url: '/api/v1/tokens', body,
      headers: { ...cookie(s.token), 'x-csrf-token': s.csrfToken, origin: 'https://evil.example' },
    });
    expect(foreign.statusCode).toBe(403);
    const ok = await t.call({ method: 'POST', url: '/api/v1/tokens', headers: { ...cookie(s.token), 'x-csrf-token': s.csrfToken }, body });
    expect(ok.statusCode).toBe(201);
    const crossLogin = await t.call({
      method: 'POST', url: '/api/v1/auth/login', headers: { 'sec-fetch-site': 'cross-site' }, body: { username: 'admin', password: 'admin-password-1' },
    });
    expect(crossLogin.statusCode).toBe(403);
  });
});

describe('sign-in guard', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => t.clock.advance(MINUTE));

  const attempt = (username: string, password: string, remoteAddress?: string) =>
    t.call({ method: 'POST', url: '/api/v1/auth/login', body: { username, password }, ...(remoteAddress && { remoteAddress }) });

  it('locks the account after five wrong passwords, whatever the case of the username, and no one else', async () => {
    const victim = await t.userWithRoles(['viewer'], 'victim');
    const bystander = await t.userWithRoles(['viewer'], 'bystander');
    for (const name of ['Victim', 'victim', 'VICTIM', 'victim', 'ViCtIm']) {
      const res = await attempt(name, 'wrong-password');
      expect([401, 423]).toContain(res.statusCode);
    }
    const locked = await attempt('victim', victim.password);
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.code).toBe('AUTH_ACCOUNT_LOCKED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await attempt('Victim', victim.password)).statusCode).toBe(423);
    expect((await attempt('bystander', bystander.password)).statusCode).toBe(200);
    const events = await t.call({ method: 'GET', url: '/api/v1/events?type=user.locked', token: t.adminToken });
    expect(events.json().items[0].payload.username).toBe('victim');
    t.clock.advance(16 * MINUTE);
    expect((await attempt('victim', victim.password)).statusCode).toBe(200);
  });

  it('answers an unknown username like a wrong password', async () => {
    const res = await attempt('nobody-here', 'whatever-1');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('AUTH_INVALID_CREDENTIALS');
  });

  it('rate-limits sign-in attempts per address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 32; i++) codes.push((await attempt(`spray-${i}`, 'guess-123', '10.9.9.9')).statusCode);
    expect(codes.slice(0, 30).every((c) => c === 401)).toBe(true);
    expect(codes.at(-1)).toBe(429);
    expect((await attempt('admin', 'admin-password-1', '10.9.9.10')).statusCode).toBe(200);
  });

  it('turns away a disabled user and ends their sessions', async () => {
    const u = await t.userWithRoles(['viewer']);
    const s = await t.login(u.username, u.password);
    const off = await t.call({ method: 'PATCH', url: `/api/v1/users/${u.id}`, token: t.adminToken, body: { status: 'disabled' } });
    expect(off.statusCode).toBe(200);
    expect((await t.call({ method: 'GET', url: '/api/v1/auth/me', token: s.token })).statusCode).toBe(401);
    expect((await t.call({ method: 'GET', url: '/api/v1/auth/me', token: u.token })).statusCode).toBe(401);
    const res = await attempt(u.username, u.password);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('AUTH_USER_DISABLED');
  });

  it('audits sign-ins, successful and failed, naming the username tried', async () => {
    await attempt('admin', 'not-the-password');
    const res = await t.call({ method: 'GET', url: '/api/v1/audit?action=auth.login&actor=admin&limit=5', token: t.adminToken });
    const results = res.json().items.map((i: { result: string }) => i.result);
    expect(results).toContain('failure');
    expect(results).toContain('success');
  });
});
