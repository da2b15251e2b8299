import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTestApp, createTestDatabase, waitFor, type TestApp } from '@opsline/test-utils';

/** Two servers on one PostgreSQL database, as in a multi-server install. */
describe('several servers on one PostgreSQL', () => {
  let a: TestApp;
  let b: TestApp;
  let baseB: string;
  beforeAll(async () => {
    const database = await createTestDatabase();
    a = await buildTestApp({}, { persistent: true, database, dataDir: mkdtempSync(join(tmpdir(), 'opsline-a-')), keep: true });
    b = await buildTestApp({}, { persistent: true, database, dataDir: mkdtempSync(join(tmpdir(), 'opsline-b-')) });
    baseB = await b.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('streams an event committed on one server to an SSE client of the other', async () => {
    const res = await fetch(`${baseB}/api/v1/events/stream?type=team.created`, { headers: { authorization: `Bearer ${b.adminToken}` } });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    await a.call({ method: 'POST', url: '/api/v1/teams', token: a.adminToken, body: { name: 'made-on-a' } });
    await waitFor(async () => {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
      return text.includes('team made-on-a created');
    }, { what: 'the event from the other server' });
    await reader.cancel();
  });

  it('revokes a token on every server at once, not after the cache expires', async () => {
    const u = await a.userWithRoles(['viewer']);
    const created = (await a.call({ method: 'POST', url: '/api/v1/tokens', token: u.token, body: { name: 'shared' } })).json();
    expect((await b.call({ method: 'GET', url: '/api/v1/auth/me', token: created.token })).statusCode).toBe(200);
    await a.call({ method: 'DELETE', url: `/api/v1/tokens/${created.id}`, token: u.token });
    await waitFor(async () => (await b.call({ method: 'GET', url: '/api/v1/auth/me', token: created.token })).statusCode === 401, {
      what: 'the other server to refuse the revoked token', timeoutMs: 5_000,
    });
  });

  it('applies a permission change made on one server to the other', async () => {
    const u = await a.userWithRoles(['viewer']);
    expect((await b.call({ method: 'GET', url: '/api/v1/audit', token: u.token })).statusCode).toBe(403);
    await a.call({ method: 'PATCH', url: `/api/v1/users/${u.id}`, token: a.adminToken, body: { roles: ['operator'] } });
    await waitFor(async () => (await b.call({ method: 'GET', url: '/api/v1/audit', token: u.token })).statusCode === 200, {
      what: 'the other server to see the new role', timeoutMs: 5_000,
    });
  });
});
