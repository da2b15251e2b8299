import { createHmac } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelView, NotifyDeliveryView, Page } from '@opsline/contracts';
import { buildTestApp, startHttpSink, type HttpSink, type TestApp } from '@opsline/test-utils';
import { waitFor } from '@opsline/test-utils/wait';
import { dingtalkSign } from './senders/dingtalk.js';
import { feishuSign } from './senders/feishu.js';

const DING_SECRET = 'SEC0123456789abcdef';
const FEISHU_SECRET = 'feishu-secret-42';

describe('notification channels through a real HTTP sink and SMTP server', () => {
  let t: TestApp;
  let sink: HttpSink;
  let smtp: SMTPServer;
  const mails: { to: string[]; data: string }[] = [];
  let flakyCalls = 0;

  const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) => t.call({ method, url, token: t.adminToken, body });
  async function channel(body: Record<string, unknown>): Promise<ChannelView> {
    const res = await api('POST', '/api/v1/channels', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ChannelView>();
  }
  async function testSend(c: ChannelView): Promise<NotifyDeliveryView> {
    const res = await api('POST', `/api/v1/channels/${c.id}/test`);
    expect(res.statusCode, res.body).toBe(202);
    const [id] = res.json<{ deliveryIds: string[] }>().deliveryIds;
    return settled(id ?? '');
  }
  const settled = (id: string) => waitFor(async () => {
    const d = (await api('GET', `/api/v1/notifications/${id}`)).json<NotifyDeliveryView>();
    return d.status === 'pending' && d.attempts === 0 ? undefined : d;
  }, { what: `delivery ${id} to be tried` });

  beforeAll(async () => {
    sink = await startHttpSink((r) => {
      if (r.path === '/dingtalk' || r.path === '/wecom') return { status: 200, body: '{"errcode":0,"errmsg":"ok"}' };
      if (r.path === '/dingtalk-refuses') return { status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' };
      if (r.path === '/feishu') return { status: 200, body: '{"code":0,"msg":"success","data":{}}' };
      if (r.path === '/slack') return { status: 200, body: 'ok' };
      if (r.path === '/pagerduty') return { status: 202, body: '{"status":"success","dedup_key":"k"}' };
      if (r.path === '/flaky') return ++flakyCalls <= 2 ? { status: 503, body: 'busy' } : { status: 200, body: 'fine' };
      return { status: 204 };
    });
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
    t = await buildTestApp({ OPSLINE_SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`, OPSLINE_PUBLIC_URL: 'https://ops.example.org' });
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('signs DingTalk and Feishu messages the way each checks them, byte for byte', async () => {
    // Fixed vectors, computed apart from this code (Python's hmac): DingTalk keys with the secret over "ms\nsecret";
    // Feishu keys with "s\nsecret" over nothing.
    expect(dingtalkSign(DING_SECRET, 1_700_000_000_000)).toBe('TSZbRFUuvaSQaRKUpF970OPCb2/LcQAP3wOvwZIzBZk=');
    expect(feishuSign(FEISHU_SECRET, 1_700_000_000)).toBe('INMLa6ItJbhwdRZRoTvT3OZMtlY5WjmWq4F2Jscs314=');

    const ding = await channel({ name: 'ops robot', type: 'dingtalk', config: { url: `${sink.url('/dingtalk')}?access_token=canary-ding-token`, secret: DING_SECRET, atMobiles: ['13800000000'] } });
    expect(ding).toMatchObject({ secretsSet: ['secret', 'url'], target: expect.stringMatching(/^127\.0\.0\.1:\d+$/) as string, ratePerMinute: 20 });
    expect(JSON.stringify(ding)).not.toContain('canary-ding-token');
    expect(await testSend(ding)).toMatchObject({ status: 'sent', attempts: 1, log: [{ ok: true, status: 200, answer: '{"errcode":0,"errmsg":"ok"}' }] });
    const d = sink.at('/dingtalk').at(-1);
    const ts = d?.query.get('timestamp') ?? '';
    expect(Number(ts)).toBe(t.clock.now().getTime());
    expect(d?.query.get('access_token')).toBe('canary-ding-token');
    expect(d?.query.get('sign')).toBe(createHmac('sha256', DING_SECRET).update(`${ts}\n${DING_SECRET}`).digest('base64'));
    expect(d?.json).toMatchObject({ msgtype: 'markdown', markdown: { title: 'Test from Opsline' }, at: { atMobiles: ['13800000000'] } });
    expect((d?.json as { markdown: { text: string } }).markdown.text).toContain('(https://ops.example.org/notify/channels)');

    const feishu = await channel({ name: 'lark', type: 'feishu', config: { url: sink.url('/feishu'), secret: FEISHU_SECRET } });
    expect((await testSend(feishu)).status).toBe('sent');
    const body = sink.at('/feishu').at(-1)?.json as { timestamp: string; sign: string; msg_type: string };
    expect(Number(body.timestamp)).toBe(Math.floor(t.clock.now().getTime() / 1000));
    expect(body.sign).toBe(createHmac('sha256', `${body.timestamp}\n${FEISHU_SECRET}`).update('').digest('base64'));
    expect(body.msg_type).toBe('post');
    expect(t.logs.join('\n')).not.toContain('canary-ding-token');
  });

  it('reads a robot\'s refusal out of its 200 answer, and keeps every attempt', async () => {
    const c = await channel({ name: 'wrong secret', type: 'dingtalk', config: { url: sink.url('/dingtalk-refuses'), secret: 'SECwrong' } });
    const first = await testSend(c);
    expect(first).toMatchObject({ status: 'pending', attempts: 1 });
    expect(first.log[0]).toMatchObject({ ok: false, status: 200, answer: expect.stringContaining('sign not match') as string });
  });

  it('sends WeCom, Slack, PagerDuty and an SMS gateway their own shapes', async () => {
    const wecom = await channel({ name: 'wecom', type: 'wecom', config: { url: `${sink.url('/wecom')}?key=abc` } });
    const slack = await channel({ name: 'slack', type: 'slack', config: { url: sink.url('/slack') } });
    const pd = await channel({ name: 'pd', type: 'pagerduty', config: { routingKey: 'R0UTINGKEY', url: sink.url('/pagerduty') } });
    const sms = await channel({
      name: 'sms', type: 'sms',
      config: { url: sink.url('/sms'), body: '{"phone":"{{to}}","content":"{{title}}: {{text}}"}', to: ['13800000001', '13800000002'], headers: { 'X-Api-Key': 'canary-sms-key' } },
    });
    for (const c of [wecom, slack, pd, sms]) expect((await testSend(c)).status).toBe('sent');
    expect(sink.at('/wecom').at(-1)?.json).toMatchObject({ msgtype: 'markdown', markdown: { content: expect.stringContaining('### Test from Opsline') as string } });
    expect(sink.at('/slack').at(-1)?.json).toMatchObject({ text: expect.stringContaining('<https://ops.example.org/notify/channels|Open>') as string });
    expect(sink.at('/pagerduty').at(-1)?.json).toMatchObject({ routing_key: 'R0UTINGKEY', event_action: 'trigger', payload: { summary: 'Test from Opsline', severity: 'info' } });
    const texts = sink.at('/sms').map((r) => r.json as { phone: string; content: string });
    expect(texts.map((x) => x.phone)).toEqual(['13800000001', '13800000002']);
    expect(texts[0]?.content).toMatch(/^Test from Opsline: admin sent this/);
    expect(sink.at('/sms')[0]?.headers['x-api-key']).toBe('canary-sms-key');
    expect(sms.secretsSet).toEqual(['headers']);
  });

  it('mails through the SMTP server', async () => {
    const c = await channel({ name: 'mail', type: 'email', config: { to: ['oncall@example.org'] } });
    expect((await testSend(c)).status).toBe('sent');
    expect(mails.at(-1)?.to).toEqual(['oncall@example.org']);
    expect(mails.at(-1)?.data).toContain('Subject: [Opsline] Test from Opsline');
  });

  it('keeps a secret an update leaves out, refuses a type change, and names bad fields', async () => {
    const c = await channel({ name: 'hook', type: 'webhook', config: { url: sink.url('/hook'), headers: { Authorization: 'Bearer canary-hook' } } });
    const put = await api('PUT', `/api/v1/channels/${c.id}`, { name: 'hook 2', type: 'webhook', config: { url: sink.url('/hook') }, template: { title: '[{{severity}}] {{title}}' } });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json<ChannelView>()).toMatchObject({ name: 'hook 2', secretsSet: ['headers'] });
    await testSend(c);
    expect(sink.at('/hook').at(-1)?.headers.authorization).toBe('Bearer canary-hook');
    expect(sink.at('/hook').at(-1)?.json).toMatchObject({ title: '[info] Test from Opsline' });
    const retype = await api('PUT', `/api/v1/channels/${c.id}`, { name: 'x', type: 'slack', config: { url: sink.url('/slack') } });
    expect(retype.statusCode).toBe(400);
    expect(retype.body).toContain('body.type');
    const noUrl = await api('POST', '/api/v1/channels', { name: 'x', type: 'dingtalk', config: {} });
    expect(noUrl.statusCode).toBe(400);
    expect(noUrl.body).toContain('body.config.url');
    const badRate = await api('POST', '/api/v1/channels', { name: 'x', type: 'slack', config: { url: sink.url('/slack') }, ratePerMinute: 0 });
    expect(badRate.body).toContain('body.ratePerMinute');
  });

  it('never reaches a cloud metadata address, and follows the admins\' allow and deny lists', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://[::ffff:169.254.169.254]/', 'http://metadata.google.internal/computeMetadata/v1/', 'http://100.100.100.200/']) {
      const res = await api('POST', '/api/v1/channels', { name: 'sneaky', type: 'webhook', config: { url } });
      expect(res.statusCode, url).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('NOTIFY_TARGET_REFUSED');
      expect(res.body).toContain('body.config.url');
    }
    const c = await channel({ name: 'listed', type: 'webhook', config: { url: sink.url('/hook') } });
    expect((await api('PUT', '/api/v1/channels/outbound-policy', { allow: ['*.example.org'], deny: [] })).statusCode).toBe(200);
    const refused = await testSend(c);
    expect(refused.log[0]?.answer).toContain('not on the outbound allow list');
    expect((await api('PUT', '/api/v1/channels/outbound-policy', { allow: ['127.0.0.0/8'], deny: ['127.0.0.1'] })).statusCode).toBe(200);
    expect((await testSend(c)).log[0]?.answer).toContain('on the outbound deny list');
    expect((await api('PUT', '/api/v1/channels/outbound-policy', { allow: [], deny: [] })).statusCode).toBe(200);
    expect((await testSend(c)).status).toBe('sent');
    const audit = (await api('GET', '/api/v1/audit?action=notify.policy.update')).body;
    expect(audit).toContain('127.0.0.0/8');
  });

  it('tries a failing peer again after a pause, and logs every answer', async () => {
    const c = await channel({ name: 'flaky', type: 'webhook', config: { url: sink.url('/flaky') } });
    const first = await testSend(c);
    expect(first).toMatchObject({ status: 'pending', attempts: 1, log: [{ ok: false, status: 503 }] });
    expect(first.log[0]?.answer).toContain('busy');
    for (const pause of [5_000, 30_000]) {
      t.clock.advance(pause);
      await t.app.platform.notify.process();
    }
    const done = (await api('GET', `/api/v1/notifications/${first.id}`)).json<NotifyDeliveryView>();
    expect(done).toMatchObject({ status: 'sent', attempts: 3 });
    expect(done.log.map((a) => a.status)).toEqual([503, 503, 200]);
  });

  it('holds what a channel cannot send this minute and sends it as one summary: none lost', async () => {
    const c = await channel({ name: 'busy robot', type: 'webhook', config: { url: sink.url('/busy') }, ratePerMinute: 3 });
    const ids: string[] = [];
    for (let i = 1; i <= 10; i++) ids.push(...(await t.app.platform.notify.send([c.id], { title: `disk full ${i}`, text: 'x', severity: i === 7 ? 'critical' : 'warning', source: 'test:storm' })));
    const listed = () => api('GET', `/api/v1/notifications?channelId=${c.id}&limit=100`).then((r) => r.json<Page<NotifyDeliveryView>>().items);
    await waitFor(async () => (await listed()).filter((d) => d.status === 'held').length === 7, { what: '7 held' });
    expect(sink.at('/busy')).toHaveLength(3);
    t.clock.advance(61_000);
    await t.app.platform.notify.process();
    await waitFor(() => sink.at('/busy').length === 4, { what: 'the summary' });
    const summary = sink.at('/busy')[3]?.json as { title: string; text: string; severity: string };
    expect(summary.title).toBe('7 notifications held back by this channel\'s rate limit');
    expect(summary.severity).toBe('critical');
    for (let i = 4; i <= 10; i++) expect(summary.text).toContain(`disk full ${i}`);
    const all = await listed();
    const digest = all.find((d) => d.source === 'digest');
    expect(all.filter((d) => d.status === 'digested').map((d) => d.digestId)).toEqual(Array(7).fill(digest?.id));
    expect(all.filter((d) => ids.includes(d.id)).length).toBe(10);
  });
});
