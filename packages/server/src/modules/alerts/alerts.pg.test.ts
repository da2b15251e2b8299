import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, type TestApp } from '@opsline/test-utils';
import { alertFixtures, amAlert, amBody } from './alerts.fixtures.js';

/** Two servers on one PostgreSQL: Alertmanager HA pairs post the same alerts to both at once. */
describe('alert ingest on several servers', () => {
  let a: TestApp;
  let b: TestApp;
  const onA = alertFixtures(() => a);
  const onB = alertFixtures(() => b);

  beforeAll(async () => {
    const database = await createTestDatabase();
    a = await buildTestApp({}, { persistent: true, database, dataDir: mkdtempSync(join(tmpdir(), 'opsline-alerts-a-')), keep: true });
    b = await buildTestApp({}, { persistent: true, database, dataDir: mkdtempSync(join(tmpdir(), 'opsline-alerts-b-')) });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('opens one alert per fingerprint when both servers take the same batches at once, and counts every delivery', async () => {
    const { key } = await onA.integration({ name: 'ha pair', type: 'alertmanager' });
    const batch = amBody(Array.from({ length: 50 }, (_, i) => amAlert({ alertname: 'HaPair', n: String(i) }, { fingerprint: `dd0000000000${String(i).padStart(4, '0')}` })));
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? onA : onB).delivered(key, 'alertmanager', batch)));
    expect(results.reduce((n, r) => n + r.fired, 0)).toBe(50);
    const open = await onB.alerts('&q=HaPair&status=firing');
    expect(open).toHaveLength(50);
    expect(open.every((x) => x.count === 6)).toBe(true);

    const resolve = amBody(Array.from({ length: 50 }, (_, i) => amAlert({ alertname: 'HaPair', n: String(i) }, { fingerprint: `dd0000000000${String(i).padStart(4, '0')}`, endsAt: '2026-01-01T01:00:00Z' })), 'resolved');
    const ended = await Promise.all([onA, onB].map((s) => s.delivered(key, 'alertmanager', resolve)));
    expect(ended.reduce((n, r) => n + r.resolved, 0)).toBe(50);
    expect(ended.reduce((n, r) => n + r.ignored, 0)).toBe(50);
    expect(await onA.alerts('&q=HaPair&status=firing')).toEqual([]);
  });
});
