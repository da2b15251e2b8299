import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '@opsline/test-utils';
import { BUILTIN_ROLES } from '@opsline/contracts';

/** The only routes anyone may call without signing in. */
const PUBLIC_ROUTES = [
  'GET /api/v1/health', 'POST /api/v1/auth/login',
  // The agent installer and the files it fetches hold nothing secret: hosts run `curl … | sh` before they have any credential.
  'GET /api/v1/agents/install.sh', 'GET /api/v1/agents/download/:file',
  // Alert ingest: senders (Alertmanager, Zabbix, webhooks) authenticate with the integration key in the path.
  'POST /api/v1/integrations/:key/alertmanager', 'POST /api/v1/integrations/:key/zabbix', 'POST /api/v1/integrations/:key/webhook',
];
/** Routes any signed-in user may call for themselves (no permission beyond being signed in). */
const SELF_SERVICE = [
  'GET /api/v1/auth/me', 'POST /api/v1/auth/logout', 'POST /api/v1/auth/password',
  'GET /api/v1/tokens', 'POST /api/v1/tokens', 'DELETE /api/v1/tokens/:id',
  'GET /api/v1/tree/nodes/:id/permissions',
  // A workflow's approval step names its approvers, whatever their roles; the service checks the name (or workflow:run when none).
  'POST /api/v1/workflow-runs/:id/steps/:stepKey/approve', 'POST /api/v1/workflow-runs/:id/steps/:stepKey/reject',
  // Users keep their own notification rules; the handler asks oncall:admin for anyone else's.
  'GET /api/v1/users/:id/notification-rules', 'PUT /api/v1/users/:id/notification-rules',
  // …and choose channels for them by name: names and types only, never a channel's config.
  'GET /api/v1/channels/choices',
];
const ATTACK_SEGMENTS = ['__proto__', 'constructor', 'prototype', '..%2f..%2fpackage.json', '..', '%00', 'x'.repeat(300)];
const SOME_ID = '01900000-0000-7000-8000-000000000000';

const key = (r: { method: string; url: string }): string => `${r.method} ${r.url}`;
const fill = (url: string, value: string): string => url.replace(/:[A-Za-z]+/g, value);

describe('every /api/v1 route', () => {
  let t: TestApp;
  let viewer: { token: string };
  beforeAll(async () => {
    t = await buildTestApp();
    viewer = await t.userWithRoles(['viewer']);
  });
  afterAll(() => t.close());

  const v1 = () => t.app.apiRoutes.filter((r) => r.url.startsWith('/api/v1/'));

  it('declares the public ones in one place, and nothing else is public', () => {
    expect(v1().filter((r) => r.access === 'public').map(key).sort()).toEqual([...PUBLIC_ROUTES].sort());
    expect(v1().filter((r) => r.access === 'authenticated').map(key).sort()).toEqual([...SELF_SERVICE].sort());
    expect(v1().length).toBeGreaterThan(25);
  });

  it('answers 401 without a token, except the public ones', async () => {
    for (const r of v1().filter((x) => x.access !== 'public')) {
      const res = await t.call({ method: r.method, url: fill(r.url, SOME_ID), body: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
      expect(res.statusCode, key(r)).toBe(401);
      expect(res.json().error.code, key(r)).toBe('AUTH_REQUIRED');
    }
  });

  it('answers 401 to a made-up or malformed token', async () => {
    for (const token of ['ols_nope', 'olt_nope', 'garbage', 'x'.repeat(500)]) {
      const res = await t.call({ method: 'GET', url: '/api/v1/auth/me', token });
      expect(res.statusCode).toBe(401);
    }
  });

  it('answers 4xx, never a 500 or a file, to hostile path segments', async () => {
    for (const r of v1().filter((x) => x.url.includes(':'))) {
      for (const seg of ATTACK_SEGMENTS) {
        const url = fill(r.url, seg);
        // `..` is resolved like a browser would: /job-runs/../hosts is /hosts, another route with its own checks.
        const resolved = new URL(url, 'http://x').pathname;
        if (seg === '..' && resolved !== url && v1().some((x) => x.method === r.method && x.url === resolved)) continue;
        const res = await t.call({ method: r.method, url, token: t.adminToken, body: r.method === 'PATCH' ? {} : undefined });
        expect(res.statusCode, `${key(r)} with ${seg}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, `${key(r)} with ${seg}`).toBeLessThan(500);
        expect(res.body).not.toContain('"workspaces"');
      }
    }
    for (const path of ['/api/v1/..%2f..%2fpackage.json', '/..%2f..%2fpackage.json', '/api/v1/users/..%2f..%2f..%2fetc%2fpasswd']) {
      const res = await t.call({ method: 'GET', url: path, token: t.adminToken });
      expect(res.statusCode, path).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, path).toBeLessThan(500);
      expect(res.body).not.toMatch(/root:x:0|"workspaces"/);
    }
    // Outside /api a deep link may get the console page, but never a file from disk.
    for (const path of ['/%2e%2e/%2e%2e/etc/passwd', '/api/%2e%2e/%2e%2e/etc/passwd', '/..;/..;/package.json', '/assets/..%2f..%2f..%2fpackage.json']) {
      const res = await t.call({ method: 'GET', url: path, headers: { accept: 'text/html' } });
      expect(res.statusCode, path).toBeLessThan(500);
      expect(res.body).not.toMatch(/root:x:0|"workspaces"/);
    }
  });

  it('refuses a viewer every mutation that needs a permission it lacks, naming it, and audits the refusal', async () => {
    // A viewer may call the few audited POSTs that only read (a guard check of a script).
    const viewerHolds = new Set<string>(BUILTIN_ROLES.viewer.permissions);
    const mutations = v1().filter((r) => r.audit && r.access !== 'public' && r.access !== 'authenticated' && !viewerHolds.has(r.access));
    expect(mutations.length).toBeGreaterThan(10);
    for (const r of mutations) {
      const before = await t.call({ method: 'GET', url: `/api/v1/audit?action=${r.audit}&result=denied&limit=500`, token: t.adminToken });
      const res = await t.call({ method: r.method, url: fill(r.url, SOME_ID), token: viewer.token, body: r.method === 'DELETE' ? undefined : {} });
      expect(res.statusCode, key(r)).toBe(403);
      expect(res.json().error.message, key(r)).toContain(r.access);
      const after = await t.call({ method: 'GET', url: `/api/v1/audit?action=${r.audit}&result=denied&limit=500`, token: t.adminToken });
      expect(after.json().items.length - before.json().items.length, key(r)).toBe(1);
    }
  });
});
