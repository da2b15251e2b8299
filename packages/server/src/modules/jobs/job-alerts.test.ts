import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelView, NotifyDeliveryView, Page } from '@opsline/contracts';
import { buildTestApp, jobFixtures, treeFixtures, type Fleet, type TestApp } from '@opsline/test-utils';
import { waitFor } from '@opsline/test-utils/wait';

const HEADER_SECRET = 'Bearer canary-9d2f-webhook-token';

describe('job alerts through real webhook and SMTP peers', () => {
  let t: TestApp;
  let f: ReturnType<typeof treeFixtures>;
  let grpcPort = 0;
  const j = jobFixtures(() => t, () => f, () => grpcPort);
  let fleet: Fleet;
  let hook: Server;
  let smtp: SMTPServer;
  const posts: { headers: IncomingHttpHeaders; body: { title: string; text: string; severity: string; link: string } }[] = [];
  const mails: { to: string[]; data: string }[] = [];
  let webhook: ChannelView;
  let email: ChannelView;

  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        posts.push({ headers: req.headers, body: JSON.parse(body) as (typeof posts)[number]['body'] });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (d: Buffer) => (data += d.toString()));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    t = await buildTestApp({ OPSLINE_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, OPSLINE_SMTP_FROM: 'Opsline <opsline@example.org>', OPSLINE_PUBLIC_URL: 'https://ops.example.org/' });
    f = treeFixtures(t);
    grpcPort = await t.app.agents.listen('127.0.0.1', 0);
    fleet = await j.fleet('alerts', 1);
    const channel = async (body: Record<string, unknown>) => {
      const res = await f.admin().post('/api/v1/channels', body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json<ChannelView>();
    };
    webhook = await channel({ name: 'ops hook', type: 'webhook', config: { url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`, headers: { Authorization: HEADER_SECRET } } });
    email = await channel({ name: 'ops mail', type: 'email', config: { to: ['ops@example.org'] } });
  }, 120_000);
  afterAll(async () => {
    await j.stopAll();
    hook.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await t.close();
  });

  it('keeps a webhook\'s header values secret and refuses bad channels, naming the field', async () => {
    expect(webhook).toMatchObject({ config: { url: expect.stringContaining('/hook') as string }, secretsSet: ['headers'], target: expect.stringMatching(/^127\.0\.0\.1:\d+$/) as string });
    expect(JSON.stringify((await f.admin().get(`/api/v1/channels/${webhook.id}`)).json())).not.toContain('canary');
    const bad = await f.admin().post('/api/v1/channels', { name: 'x', type: 'email', config: { to: ['not-an-address'] } });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('body.config.to.0');
    const noChannel = await f.admin().post('/api/v1/job-alerts', { name: 'x', channelIds: ['0190d1e2-0000-7000-8000-000000000000'] });
    expect(noChannel.statusCode).toBe(404);
    expect(JSON.stringify(noChannel.json())).toContain('body.channelIds');
  });

  it('sends a failed run to the webhook and by mail, once, and records both deliveries', { timeout: 60_000 }, async () => {
    const rule = await f.admin().post('/api/v1/job-alerts', { name: 'failures', on: ['failed'], channelIds: [webhook.id, email.id] });
    expect(rule.statusCode, rule.body).toBe(201);
    const run = await j.start({ name: 'nightly backup', inline: { language: 'bash', content: 'echo disk full >&2; exit 1' }, targets: { hostIds: [fleet.hosts[0]?.id] } });
    expect(await j.ended(run.id)).toMatchObject({ status: 'failed' });
    await waitFor(() => posts.length >= 1 && mails.length >= 1, { timeoutMs: 15_000, what: 'the webhook call and the mail' });
    expect(posts[0]?.headers.authorization).toBe(HEADER_SECRET);
    expect(posts[0]?.body).toMatchObject({ title: 'Job nightly backup: failed', severity: 'critical', link: `https://ops.example.org/jobs/runs/${run.id}` });
    expect(mails[0]?.to).toEqual(['ops@example.org']);
    expect(mails[0]?.data).toContain('Subject: [Opsline] Job nightly backup: failed');
    const sent = await waitFor(async () => {
      const items = (await f.admin().get('/api/v1/notifications?status=sent')).json<Page<NotifyDeliveryView>>().items;
      return items.length >= 2 ? items : undefined;
    }, { timeoutMs: 10_000, what: 'both deliveries sent' });
    expect(sent.map((d) => d.channelId).sort()).toEqual([webhook.id, email.id].sort());
    // A success does not alert.
    await j.ended((await j.start({ inline: { language: 'bash', content: 'true' }, targets: { hostIds: [fleet.hosts[0]?.id] } })).id);
    expect(posts).toHaveLength(1);
  });

  it('alerts once on a run going on longer than the threshold', { timeout: 60_000 }, async () => {
    await f.admin().post('/api/v1/job-alerts', { name: 'long runs', on: [], durationOverSec: 60, channelIds: [webhook.id] });
    const run = await j.start({ name: 'slow sync', inline: { language: 'bash', content: 'sleep 300' }, targets: { hostIds: [fleet.hosts[0]?.id] } });
    await j.runWhen(run.id, (r) => r.counts.running === 1, 'running');
    const before = posts.length;
    await t.app.jobs.checkLongRuns();
    expect(posts).toHaveLength(before);
    t.clock.advance(61_000);
    await t.app.jobs.checkLongRuns();
    await t.app.jobs.checkLongRuns();
    await waitFor(() => posts.length > before, { timeoutMs: 10_000, what: 'the long-run alert' });
    expect(posts.slice(before).map((p) => p.body.title)).toEqual(['Job slow sync: running long']);
    await j.act(run.id, 'kill');
    await j.ended(run.id);
  });
});
