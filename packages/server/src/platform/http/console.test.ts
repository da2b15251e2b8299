import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '@opsline/test-utils';

describe('the console', () => {
  let t: TestApp;
  beforeAll(async () => {
    const web = mkdtempSync(join(tmpdir(), 'opsline-web-'));
    mkdirSync(join(web, 'assets'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>Opsline console</title>');
    writeFileSync(join(web, 'assets', 'app-1234.js'), 'console.log(1)');
    t = await buildTestApp({ OPSLINE_WEB_DIR: web });
  });
  afterAll(() => t.close());

  it('serves the page at / and at deep links, to browsers and to curl alike', async () => {
    const cases: [string, string][] = [['/', '*/*'], ['/', 'text/html'], ['/admin/users', 'text/html,*/*;q=0.8'], ['/profile', '*/*']];
    for (const [url, accept] of cases) {
      const res = await t.call({ method: 'GET', url, headers: { accept } });
      expect(res.statusCode, `${url} ${accept}`).toBe(200);
      expect(res.body).toContain('Opsline console');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves hashed assets with a long cache, and sends security headers', async () => {
    const res = await t.call({ method: 'GET', url: '/assets/app-1234.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // Plain HTTP on a LAN address must keep working: no forced upgrade to https.
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('answers unknown API paths and missing assets with a JSON 404, never the page', async () => {
    for (const url of ['/api/v1/nothing', '/api/nothing', '/assets/missing.js', '/favicon-missing.png']) {
      const res = await t.call({ method: 'GET', url, headers: { accept: 'application/json' } });
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain('Opsline console');
    }
  });

  it('serves the OpenAPI document listing the API', async () => {
    const res = await t.call({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/users', '/api/v1/events/stream']));
  });
});

describe('the console before it is built', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ OPSLINE_WEB_DIR: join(tmpdir(), 'opsline-no-such-web-dir') });
  });
  afterAll(() => t.close());

  it('says how to build it, while the API keeps working', async () => {
    const page = await t.call({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(503);
    expect(page.body).toContain('npm run build');
    expect((await t.call({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
  });
});
