import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelView, IncidentView, JobTemplateView, ScriptView, TimelineEntry } from '@opsline/contracts';
import { buildTestApp, jobFixtures, startHttpSink, treeFixtures, type Fleet, type HttpSink, type TestApp } from '@opsline/test-utils';
import { waitFor } from '@opsline/test-utils/wait';
import type { IncomingAlert } from './index.js';

let seq = 0;
const alert = (over: Partial<IncomingAlert> = {}): IncomingAlert => ({
  alertId: `0190d1e2-0000-7000-8000-${String(++seq).padStart(12, '0')}`, change: 'new', title: 'ApiDown', severity: 'P1',
  labels: { alertname: 'ApiDown', team: 'core' }, nodeId: null, hostId: null, integrationId: null, silenced: false, ...over,
});

describe('paging: escalation through on-call, and self-healing through the job center (real agents, real HTTP peers)', () => {
  let t: TestApp;
  let f: ReturnType<typeof treeFixtures>;
  let grpcPort = 0;
  const j = jobFixtures(() => t, () => f, () => grpcPort);
  let fleet: Fleet;
  let sink: HttpSink;
  let alice: { id: string; username: string; token: string };
  const api = async <T>(method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, status = method === 'POST' ? 201 : 200): Promise<T> => {
    const res = await t.call({ method, url, token: t.adminToken, body });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
    return res.json<T>();
  };
  const timeline = async (id: string) => (await api<{ items: TimelineEntry[] }>('GET', `/api/v1/incidents/${id}/timeline`)).items;
  const incidentOf = async (title: string) => (await api<{ items: IncidentView[] }>('GET', `/api/v1/incidents?q=${encodeURIComponent(title)}`)).items[0];
  const afterGroupWait = async () => {
    t.clock.advance(31_000);
    await t.app.incidents.tick();
  };

  beforeAll(async () => {
    t = await buildTestApp({ OPSLINE_PUBLIC_URL: 'https://ops.example.org' });
    f = treeFixtures(t);
    grpcPort = await t.app.agents.listen('127.0.0.1', 0);
    fleet = await j.fleet('heal', 1);
    sink = await startHttpSink();
    alice = await t.userWithRoles(['operator'], 'alice');
    const channel = (name: string) => api<ChannelView>('POST', '/api/v1/channels', { name, type: 'webhook', config: { url: sink.url(`/${name}`) } });
    const aliceHook = await channel('alice-hook');
    const teamRoom = await channel('team-room');
    await api('PUT', `/api/v1/users/${alice.id}/notification-rules`, { rules: [{ severities: ['P0', 'P1', 'P2'], channelIds: [aliceHook.id] }] }, 200);
    const policy = await api<{ id: string }>('POST', '/api/v1/escalation-policies', {
      name: 'core', levels: [{ delayMinutes: 10, targets: [{ type: 'user', id: alice.id }] }, { delayMinutes: 10, targets: [{ type: 'channel', id: teamRoom.id }] }],
    });
    await api('POST', '/api/v1/routing-rules', { name: 'core team', match: { labels: [{ name: 'team', value: 'core' }] }, escalationPolicyId: policy.id });
  }, 120_000);
  afterAll(async () => {
    await j.stopAll();
    await sink.close();
    await t.close();
  });

  // Self-healing first: the paging test moves the clock far enough for the agent to count as offline.
  it('starts the rule\'s job on the alert\'s host with the alert as parameters, tells the incident how it went, and keeps to the hourly limit', { timeout: 60_000 }, async () => {
    const script = await api<ScriptView>('POST', '/api/v1/scripts', {
      name: 'restart-api', language: 'bash', content: 'echo "healing $OPSLINE_PARAM_ALERT_NAME on incident $OPSLINE_PARAM_INCIDENT_NUMBER"', params: [{ name: 'ALERT_NAME', type: 'string' }, { name: 'INCIDENT_NUMBER', type: 'string' }],
    });
    const tpl = await api<JobTemplateView>('POST', '/api/v1/job-templates', { name: 'restart api', scriptId: script.id, params: {}, targets: { hostIds: [fleet.hosts[0]?.id] } });
    const policy = await api<{ id: string }>('POST', '/api/v1/escalation-policies', { name: 'heal', levels: [{ delayMinutes: 10, targets: [{ type: 'user', id: alice.id }] }] });
    await api('POST', '/api/v1/routing-rules', { name: 'self-heal api', order: 0, match: { labels: [{ name: 'alertname', value: 'ProcDown' }] }, escalationPolicyId: policy.id, selfHeal: { templateId: tpl.id, maxPerHostPerHour: 1 } });
    const hostId = fleet.hosts[0]?.id ?? null;
    await t.app.incidents.ingest([alert({ title: 'ProcDown on heal-0', labels: { alertname: 'ProcDown' }, hostId })]);
    const inc = await incidentOf('ProcDown on heal-0');
    const ended = await waitFor(async () => (await timeline(inc?.id ?? '')).find((e) => e.kind === 'self_heal' && e.text.includes('ended')), { timeoutMs: 30_000, what: 'the self-healing run to end' });
    const runId = String((await timeline(inc?.id ?? '')).find((e) => e.kind === 'self_heal')?.data.runId);
    const out = await j.output(runId, hostId ?? '');
    expect(ended.text, JSON.stringify(out)).toBe('Self-healing run self-heal: ProcDown on heal-0 ended success');
    expect(out.stdout).toBe(`healing ProcDown on incident ${inc?.number ?? 0}\n`);
    // The same host again within the hour: skipped, said so; a resolve starts nothing.
    await t.app.incidents.ingest([alert({ title: 'ProcDown on heal-0 again', labels: { alertname: 'ProcDown', instance: 'b' }, hostId })]);
    const heals = (await timeline(inc?.id ?? '')).filter((e) => e.kind === 'self_heal').map((e) => e.text);
    expect(heals.at(-1)).toBe('Self-healing (self-heal api) skipped: it already ran 1 times on this host in the last hour');
    expect(heals.filter((h) => h.includes('started'))).toHaveLength(1);
    await api('POST', `/api/v1/incidents/${inc?.id ?? ''}/resolve`, { comment: 'healed' }, 200);
  });

  it('pages level 1 after the group wait, level 2 ten minutes later, and nobody after an acknowledgement', async () => {
    await t.app.incidents.ingest([alert({ title: 'ApiDown in zone a', labels: { alertname: 'ApiDownA', team: 'core' } })]);
    const inc = await incidentOf('ApiDown in zone a');
    expect(inc).toMatchObject({ priority: 'P1', escalationPolicyId: expect.any(String) as string });
    await t.app.incidents.tick();
    expect(sink.at('/alice-hook')).toHaveLength(0);
    await afterGroupWait();
    await waitFor(() => sink.at('/alice-hook').length === 1, { what: 'alice paged' });
    expect(sink.at('/alice-hook')[0]?.json).toMatchObject({ title: `[P1] #${inc?.number ?? 0} ApiDown in zone a`, ackLink: `https://ops.example.org/incidents/${inc?.id ?? ''}?do=ack` });
    t.clock.advance(9 * 60_000);
    await t.app.incidents.tick();
    expect(sink.at('/team-room')).toHaveLength(0);
    t.clock.advance(60_000);
    await t.app.incidents.tick();
    await waitFor(() => sink.at('/team-room').length === 1, { what: 'level 2 paged' });
    expect((await api<IncidentView>('GET', `/api/v1/incidents/${inc?.id ?? ''}`)).escalation).toMatchObject({ level: 1, round: 0 });
    expect((await timeline(inc?.id ?? '')).filter((e) => e.kind === 'notified').map((e) => e.text)).toEqual(['Level 1 of core: 1 people, 1 channels', 'Level 2 of core: 0 people, 1 channels']);

    await t.app.incidents.ingest([alert({ title: 'ApiDown in zone b', labels: { alertname: 'ApiDownB', team: 'core' } })]);
    const second = await incidentOf('ApiDown in zone b');
    await afterGroupWait();
    await waitFor(() => sink.at('/alice-hook').length === 2, { what: 'alice paged again' });
    const acked = await t.call({ method: 'POST', url: `/api/v1/incidents/${second?.id ?? ''}/ack`, token: alice.token, body: { comment: 'on it' } });
    expect(acked.statusCode, acked.body).toBe(200);
    t.clock.advance(30 * 60_000);
    await t.app.incidents.tick();
    await t.app.platform.notify.process();
    expect(sink.at('/team-room')).toHaveLength(1);
    expect(sink.at('/alice-hook')).toHaveLength(2);
  });

  it('pages once for a storm of 5,000 alerts in a minute, then sends a summary at most every five minutes', { timeout: 120_000 }, async () => {
    const room = await api<ChannelView>('POST', '/api/v1/channels', { name: 'edge-room', type: 'webhook', config: { url: sink.url('/edge-room') } });
    const policy = await api<{ id: string }>('POST', '/api/v1/escalation-policies', { name: 'edge', levels: [{ delayMinutes: 30, targets: [{ type: 'channel', id: room.id }] }] });
    await api('POST', '/api/v1/routing-rules', { name: 'edge team', order: 0, match: { labels: [{ name: 'team', value: 'edge' }] }, escalationPolicyId: policy.id });
    const integrationId = '0190d1e2-0000-7000-8000-0000000e0e0e';
    const burst = (from: number) => Array.from({ length: 100 }, (_, i) => alert({ title: `Edge probe ${from + i} down`, labels: { alertname: `EdgeProbe${from + i}`, team: 'edge' }, integrationId }));
    for (let b = 0; b < 50; b++) await t.app.incidents.ingest(burst(b * 100));
    await afterGroupWait();
    await t.app.platform.notify.process();
    await waitFor(() => sink.at('/edge-room').length >= 1, { what: 'the storm paged' });
    t.clock.advance(6 * 60_000);
    await t.app.incidents.ingest(burst(5_000));
    await t.app.incidents.tick();
    t.clock.advance(6 * 60_000);
    await t.app.incidents.tick();
    await t.app.platform.notify.process();
    const messages = sink.at('/edge-room').map((m) => String((m.json as { title?: string }).title));
    expect(messages.length, messages.join('\n')).toBeLessThanOrEqual(3);
    expect(messages[0]).toMatch(/Alert storm/);
    // What joined after the page (the hundred six minutes later too: the storm is still open) comes as one summary.
    expect(messages).toHaveLength(2);
    expect(messages[1]).toMatch(/storm: \d+ more alerts$/);
  });
});
