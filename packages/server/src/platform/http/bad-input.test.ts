import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '@opsline/test-utils';

interface Issue {
  field: string;
  message: string;
}

describe('bad input', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  async function expect400(body: unknown, field: string, url = '/api/v1/users', method: 'POST' | 'PATCH' = 'POST'): Promise<void> {
    const res = await t.call({ method, url, token: t.adminToken, body });
    expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
    const err = res.json().error;
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details.issues.map((i: Issue) => i.field)).toContain(field);
    expect(err.message).toContain(field);
  }

  const good = { username: 'valid-user', password: 'long-enough-1' };

  it('names the field for a wrong type', async () => {
    await expect400({ ...good, username: 42 }, 'body.username');
    await expect400({ ...good, roles: 'admin' }, 'body.roles');
    await expect400({ ...good, password: true }, 'body.password');
  });

  it('names the field for an array where a scalar belongs', async () => {
    await expect400({ ...good, username: ['a', 'b'] }, 'body.username');
    await expect400({ ...good, password: ['x'] }, 'body.password');
  });

  it('names each missing field', async () => {
    await expect400({ username: 'only-name' }, 'body.password');
    await expect400({ password: 'only-pass-1' }, 'body.username');
  });

  it('names the field of a 1 MiB string', async () => {
    await expect400({ ...good, username: 'a'.repeat(1 << 20) }, 'body.username');
    await expect400({ ...good, displayName: 'b'.repeat(1 << 20) }, 'body.displayName');
  });

  it('names an unknown field', async () => {
    await expect400({ ...good, isAdmin: true }, 'body.isAdmin');
  });

  it('names query parameters: wrong type, repeated, unknown', async () => {
    for (const [url, field] of [
      ['/api/v1/users?limit=abc', 'query.limit'],
      ['/api/v1/users?limit=1&limit=2', 'query.limit'],
      ['/api/v1/users?limt=5', 'query.limt'],
      ['/api/v1/users?status=gone', 'query.status'],
      ['/api/v1/audit?since=yesterday', 'query.since'],
    ] as const) {
      const res = await t.call({ method: 'GET', url, token: t.adminToken });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.details.issues.map((i: Issue) => i.field), url).toContain(field);
    }
  });

  it('answers invalid JSON and a bad cursor with 400, not 500', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/users', payload: '{"username": "x", ',
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INVALID_JSON');
    const proto = await t.app.inject({
      method: 'POST', url: '/api/v1/users', payload: '{"__proto__": {"admin": true}, "username": "x1", "password": "long-enough-1"}',
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
    });
    expect(proto.statusCode).toBe(400);
    const cursor = await t.call({ method: 'GET', url: '/api/v1/events?cursor=not-a-cursor', token: t.adminToken });
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().error.code).toBe('INVALID_CURSOR');
  });

  it('answers a body over the limit with 413 and wrong media types with 415', async () => {
    const huge = await t.app.inject({
      method: 'POST', url: '/api/v1/users', payload: JSON.stringify({ username: 'x'.repeat(3 << 20) }),
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
    });
    expect(huge.statusCode).toBe(413);
    const text = await t.app.inject({
      method: 'POST', url: '/api/v1/users', payload: 'username=x',
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(text.statusCode).toBe(415);
  });

  it('loses nothing on bad input: no user was created by any of it', async () => {
    const res = await t.call({ method: 'GET', url: '/api/v1/users?limit=500', token: t.adminToken });
    expect(res.json().items.map((u: { username: string }) => u.username)).toEqual(['admin']);
  });
});
