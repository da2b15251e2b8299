import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, waitFor, type TestApp } from '@opsline/test-utils';
import type { EventView } from '@opsline/contracts';

/** Reads an SSE response body, collecting the `data:` of each `event: event` message. */
function collectSse(body: ReadableStream<Uint8Array>): { events: EventView[]; stop(): Promise<void> } {
  const events: EventView[] = [];
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let idx: number;
      while ((idx = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, idx);
        buffer = buffer.slice(idx + 2);
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (block.includes('event: event') && data) events.push(JSON.parse(data.slice(6)) as EventView);
      }
    }
  })();
  return {
    events,
    stop: async () => {
      await reader.cancel();
      await pump;
    },
  };
}

describe('the event timeline', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await buildTestApp();
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => t.close());

  const createTeam = (name: string) => t.call({ method: 'POST', url: '/api/v1/teams', token: t.adminToken, body: { name } });

  it('filters by exact type and by a family prefix', async () => {
    await createTeam('timeline-a');
    const exact = (await t.call({ method: 'GET', url: '/api/v1/events?type=team.created', token: t.adminToken })).json().items;
    expect(exact.length).toBeGreaterThan(0);
    expect(exact.every((e: EventView) => e.type === 'team.created')).toBe(true);
    const family = (await t.call({ method: 'GET', url: '/api/v1/events?type=user.', token: t.adminToken })).json().items;
    expect(family.every((e: EventView) => e.type.startsWith('user.'))).toBe(true);
    expect(family.length).toBeGreaterThan(0);
    const unlikely = (await t.call({ method: 'GET', url: '/api/v1/events?type=user%25', token: t.adminToken })).json().items;
    expect(unlikely).toEqual([]);
  });

  it('streams new events over SSE as they are committed, filtered by type', async () => {
    const res = await fetch(`${base}/api/v1/events/stream?type=team.`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const sse = collectSse(res.body as ReadableStream<Uint8Array>);
    await t.call({ method: 'POST', url: '/api/v1/users', token: t.adminToken, body: { username: 'not-streamed', password: 'password-123' } });
    await createTeam('streamed-team');
    const got = await waitFor(() => sse.events.find((e) => e.type === 'team.created' && e.summary.includes('streamed-team')), { what: 'the SSE event' });
    expect(got.actorName).toBe('admin');
    expect(sse.events.some((e) => e.type.startsWith('user.'))).toBe(false);
    await sse.stop();
  });

  it('replays what a client missed after Last-Event-ID', async () => {
    const latest = (await t.call({ method: 'GET', url: '/api/v1/events?limit=1', token: t.adminToken })).json().items[0] as EventView;
    await createTeam('missed-1');
    await createTeam('missed-2');
    const res = await fetch(`${base}/api/v1/events/stream`, { headers: { authorization: `Bearer ${t.adminToken}`, 'last-event-id': latest.id } });
    const sse = collectSse(res.body as ReadableStream<Uint8Array>);
    await waitFor(() => sse.events.length >= 2, { what: 'the replayed events' });
    expect(sse.events.map((e) => e.summary)).toEqual(['team missed-1 created', 'team missed-2 created']);
    await sse.stop();
  });

  it('refuses the stream without a token or permission', async () => {
    expect((await fetch(`${base}/api/v1/events/stream`)).status).toBe(401);
  });
});
