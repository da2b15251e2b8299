import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '@opsline/test-utils';

describe('users and teams', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  const post = (url: string, body: unknown) => t.call({ method: 'POST', url, token: t.adminToken, body });
  const get = (url: string) => t.call({ method: 'GET', url, token: t.adminToken });

  it('creates a user with roles and teams, lower-casing the username, and refuses a duplicate in any case', async () => {
    const team = (await post('/api/v1/teams', { name: 'SRE 值班', description: 'on-call' })).json();
    const res = await post('/api/v1/users', { username: 'Carol.Ops', password: 'carol-pass-1', email: 'carol@example.com', roles: ['operator'], teamIds: [team.id] });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ username: 'carol.ops', roles: ['operator'], teamIds: [team.id], status: 'active' });
    const dup = await post('/api/v1/users', { username: 'CAROL.OPS', password: 'carol-pass-1' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('USER_EXISTS');
    expect((await get(`/api/v1/teams/${team.id}`)).json().memberIds).toContain(res.json().id);
  });

  it('refuses unknown roles and teams, naming the field, and creates nothing', async () => {
    const bad = await post('/api/v1/users', { username: 'dan', password: 'dan-pass-12', roles: ['wizard'] });
    expect(bad.statusCode).toBe(404);
    expect(bad.json().error.details.issues[0].field).toBe('body.roles');
    const badTeam = await post('/api/v1/users', { username: 'dan', password: 'dan-pass-12', teamIds: ['01900000-0000-7000-8000-000000000000'] });
    expect(badTeam.json().error.details.issues[0].field).toBe('body.teamIds');
    expect((await get('/api/v1/users?q=dan')).json().items).toEqual([]);
  });

  it('pages with a cursor and filters by search, status and team', async () => {
    for (let i = 0; i < 7; i++) await post('/api/v1/users', { username: `pager-${i}`, password: 'pager-pass-1' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/api/v1/users?q=pager-&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      const body = res.json<{ items: { username: string }[]; nextCursor: string | null }>();
      expect(body.items.length).toBeLessThanOrEqual(3);
      seen.push(...body.items.map((u) => u.username));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => `pager-${i}`));
    const id = (await get('/api/v1/users?q=pager-3')).json().items[0].id;
    await t.call({ method: 'PATCH', url: `/api/v1/users/${id}`, token: t.adminToken, body: { status: 'disabled' } });
    expect((await get('/api/v1/users?status=disabled')).json().items.map((u: { username: string }) => u.username)).toEqual(['pager-3']);
    const team = (await post('/api/v1/teams', { name: 'pagers', memberIds: [id] })).json();
    expect((await get(`/api/v1/users?teamId=${team.id}`)).json().items.map((u: { id: string }) => u.id)).toEqual([id]);
  });

  it('records before and after of a change in the audit log, without the password hash', async () => {
    const u = (await post('/api/v1/users', { username: 'erin', password: 'erin-pass-12' })).json();
    await t.call({ method: 'PATCH', url: `/api/v1/users/${u.id}`, token: t.adminToken, body: { displayName: 'Erin E.', password: 'erin-pass-99' } });
    const rec = (await get(`/api/v1/audit?action=user.update&targetId=${u.id}`)).json().items[0];
    expect(rec.before.displayName).toBe('erin');
    expect(rec.after.displayName).toBe('Erin E.');
    expect(JSON.stringify(rec)).not.toContain('erin-pass-99');
    expect(JSON.stringify(rec)).not.toMatch(/argon2/);
  });

  it('never removes the last administrator, nor lets you delete yourself', async () => {
    const adminId = (await get('/api/v1/users?q=admin')).json().items.find((u: { username: string }) => u.username === 'admin').id;
    const demote = await t.call({ method: 'PATCH', url: `/api/v1/users/${adminId}`, token: t.adminToken, body: { roles: ['viewer'] } });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.code).toBe('LAST_ADMIN');
    expect((await t.call({ method: 'DELETE', url: `/api/v1/users/${adminId}`, token: t.adminToken })).json().error.code).toBe('USER_SELF_DELETE');
    expect((await get(`/api/v1/users/${adminId}`)).json().roles).toEqual(['admin']);
  });

  it('deletes a user and a team, with events on the timeline', async () => {
    const u = (await post('/api/v1/users', { username: 'frank', password: 'frank-pass-1' })).json();
    const team = (await post('/api/v1/teams', { name: 'temp', memberIds: [u.id] })).json();
    expect((await t.call({ method: 'DELETE', url: `/api/v1/users/${u.id}`, token: t.adminToken })).statusCode).toBe(200);
    expect((await get(`/api/v1/users/${u.id}`)).statusCode).toBe(404);
    expect((await get(`/api/v1/teams/${team.id}`)).json().memberIds).toEqual([]);
    expect((await t.call({ method: 'DELETE', url: `/api/v1/teams/${team.id}`, token: t.adminToken })).statusCode).toBe(200);
    const types = (await get('/api/v1/events?limit=20')).json().items.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['user.deleted', 'team.deleted', 'team.created']));
  });
});
