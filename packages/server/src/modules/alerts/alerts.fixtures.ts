import { expect } from 'vitest';
import type { AlertDetail, AlertView, IngestResult, IntegrationWithKey, Page } from '@opsline/contracts';
import type { TestApp } from '@opsline/test-utils';

/** An Alertmanager webhook (v4) body around these alerts, as Alertmanager posts it. */
export function amBody(alerts: Record<string, unknown>[], status: 'firing' | 'resolved' = 'firing'): Record<string, unknown> {
  return {
    version: '4', groupKey: '{}:{alertname="x"}', truncatedAlerts: 0, status, receiver: 'opsline', groupLabels: {}, commonLabels: {}, commonAnnotations: {},
    externalURL: 'http://alertmanager:9093', alerts,
  };
}

/** One Alertmanager alert; firing unless `endsAt` is given. */
export function amAlert(labels: Record<string, string>, extra: { summary?: string; fingerprint?: string; endsAt?: string; startsAt?: string } = {}): Record<string, unknown> {
  return {
    status: extra.endsAt ? 'resolved' : 'firing', labels, annotations: { ...(extra.summary && { summary: extra.summary }) },
    startsAt: extra.startsAt ?? '2026-01-01T00:00:00.123456789Z', endsAt: extra.endsAt ?? '0001-01-01T00:00:00Z', generatorURL: 'http://prometheus/graph',
    ...(extra.fingerprint && { fingerprint: extra.fingerprint }),
  };
}

/** Test helpers for alert ingest: integrations, deliveries, and reading alerts back. */
export function alertFixtures(t: () => TestApp) {
  const admin = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) => t().call({ method, url, token: t().adminToken, body });

  async function integration(body: Record<string, unknown>): Promise<IntegrationWithKey> {
    const res = await admin('POST', '/api/v1/integrations', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<IntegrationWithKey>();
  }

  /** Posts a body (JSON, or a string as is) to an ingest URL, as a sender would: no session. */
  const post = (key: string, format: string, body: unknown) =>
    t().app.inject({
      method: 'POST', url: `/api/v1/integrations/${key}/${format}`, headers: { 'content-type': 'application/json' },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });

  async function delivered(key: string, format: string, body: unknown): Promise<IngestResult> {
    const res = await post(key, format, body);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<IngestResult>();
  }

  async function alerts(query = ''): Promise<AlertView[]> {
    const res = await admin('GET', `/api/v1/alerts?limit=500${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Page<AlertView>>().items;
  }

  async function detail(id: string): Promise<AlertDetail> {
    const res = await admin('GET', `/api/v1/alerts/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<AlertDetail>();
  }

  return { admin, integration, post, delivered, alerts, detail };
}
