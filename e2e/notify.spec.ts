import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@opsline/test-utils/wait';
import { openConsole, signInAsAdmin, type ConsoleSession } from './support/console';
import { screenshot } from './support/screenshots';
import type { RunningServer } from './support/server';
import { exactly } from './support/text';

const WEBHOOK = 'e2e 回调';
const DINGTALK = 'e2e 钉钉群';
const DING_SECRET = 'SECe2e-signing-secret-0001';
const ALERT = 'e2e 作业失败';
/** What the sink answers every request: a robot's "ok" (DingTalk wants errcode 0), marked as the sink's. */
const SINK_ANSWER = '{"errcode":0,"errmsg":"ok","sink":"e2e-sink"}';

interface SinkRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local HTTP peer on 127.0.0.1 that records what notifications send it and answers SINK_ANSWER. */
function startSink(): Promise<{ server: Server; port: number; received: SinkRequest[] }> {
  const received: SinkRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(SINK_ANSWER);
    });
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, received }));
  });
}

const option = (page: Page, text: string | RegExp) => page.locator('.n-base-select-option').filter({ hasText: text, visible: true });
const channelRow = (page: Page, name: string) =>
  page.getByTestId('channels-table').locator('tr', { has: page.getByTestId('channel-row-name').filter({ hasText: exactly(name) }) });
const fieldError = (page: Page, field: string) => page.getByTestId(`channel-field-${field}`).locator('.n-form-item-feedback--error');

describe('the notification center and job alerts in the console', () => {
  let session: ConsoleSession;
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let sink: Awaited<ReturnType<typeof startSink>>;
  let dingtalkId = '';

  beforeAll(async () => {
    sink = await startSink();
    session = await openConsole();
    ({ server, context, page } = session);
  });

  afterAll(async () => {
    if (process.env.OPSLINE_E2E_DEBUG) console.log(server?.output());
    await session?.close();
    await new Promise((resolve) => sink?.server.close(resolve));
  });

  it('opens the channels from the Notifications menu', async () => {
    await signInAsAdmin(page, server);
    expect(await page.getByTestId('menu-notify-channels').textContent()).toBe('通知渠道');
    await page.getByText(exactly('通知中心')).waitFor();
    await page.getByTestId('menu-notify-channels').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('通知渠道') }).waitFor();
    await page.getByTestId('channels-table').getByText('还没有通知渠道').waitFor();
  });

  it('creates a webhook channel: a bad URL is refused on its field, then the server refuses a metadata address there too', async () => {
    await page.getByTestId('channel-create').click();
    const drawer = page.getByTestId('channel-drawer');
    await drawer.waitFor();
    await page.getByTestId('channel-form-name').fill(WEBHOOK);
    await page.getByTestId('channel-form-url').fill('not a url');
    await page.getByTestId('channel-form-submit').click();
    await fieldError(page, 'url').filter({ hasText: '请输入 http:// 或 https:// 开头的地址' }).waitFor();
    await screenshot(page, 'zh-channel-form-invalid');

    // Well-formed, but a cloud metadata address: only the server knows, and says so on the same field.
    await page.getByTestId('channel-form-url').fill('http://169.254.169.254/latest/meta-data');
    await fieldError(page, 'url').waitFor({ state: 'detached' });
    await page.getByTestId('channel-form-submit').click();
    await fieldError(page, 'url').filter({ hasText: '不允许向该地址发送通知' }).waitFor();

    await page.getByTestId('channel-form-url').fill(`http://127.0.0.1:${sink.port}/hook`);
    await drawer.getByTestId('channel-field-headers').getByRole('button').first().click();
    await page.getByTestId('channel-form-header-key-0').fill('X-Opsline-Test');
    await page.getByTestId('channel-form-header-value-0').fill('e2e-token');
    await page.getByTestId('channel-form-submit').click();
    await drawer.waitFor({ state: 'detached' });
    const row = channelRow(page, WEBHOOK);
    await row.getByTestId('channel-row-type').filter({ hasText: exactly('Webhook') }).waitFor();
    await row.getByText(exactly(`127.0.0.1:${sink.port}`)).waitFor();
  });

  it('sends a test: the sink gets it, and the console shows it sent with the sink\'s answer', async () => {
    await channelRow(page, WEBHOOK).getByTestId('channel-test').click();
    const modal = page.getByTestId('channel-test-modal');
    await modal.locator('[data-testid="delivery-details"][data-status="sent"]').waitFor({ timeout: 30_000 });
    await modal.getByTestId('delivery-status').filter({ hasText: exactly('已发送') }).waitFor();
    await modal.getByTestId('delivery-attempt-status').filter({ hasText: exactly('200') }).waitFor();
    await modal.getByTestId('delivery-attempt-answer').filter({ hasText: '"sink":"e2e-sink"' }).waitFor();

    const hit = await waitFor(() => sink.received.find((r) => r.url === '/hook'), { what: 'the sink to receive the test' });
    expect(hit.method).toBe('POST');
    expect(hit.headers['x-opsline-test']).toBe('e2e-token');
    expect(JSON.parse(hit.body)).toMatchObject({ title: 'Test from Opsline', source: 'test:admin' });
    await screenshot(page, 'zh-channel-test');
    await modal.getByTestId('channel-test-close').click();
    await modal.waitFor({ state: 'detached' });
  });

  it('lists the delivery in the log, with its attempt', async () => {
    await page.getByTestId('menu-notify-deliveries').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('发送记录') }).waitFor();
    const row = page.getByTestId('delivery-row').filter({ has: page.getByTestId('delivery-row-channel').filter({ hasText: exactly(WEBHOOK) }) });
    await row.getByTestId('delivery-status').filter({ hasText: exactly('已发送') }).waitFor();
    await row.getByTestId('delivery-row-title').filter({ hasText: exactly('Test from Opsline') }).waitFor();
    await row.getByTestId('delivery-row-attempts').filter({ hasText: exactly('1') }).waitFor();
    await row.click();
    const attempt = page.getByTestId('deliveries-table').locator('[data-testid="delivery-attempt"][data-ok="true"]');
    await attempt.getByTestId('delivery-attempt-answer').filter({ hasText: '"sink":"e2e-sink"' }).waitFor();
    await screenshot(page, 'zh-deliveries');
  });

  it('keeps a DingTalk secret: the form shows it as set, never its value', async () => {
    await page.getByTestId('menu-notify-channels').click();
    await page.getByTestId('channel-create').click();
    await page.getByTestId('channel-form-name').fill(DINGTALK);
    await page.getByTestId('channel-form-type').click();
    await option(page, exactly('钉钉')).click();
    await page.getByTestId('channel-field-url').getByText(exactly('机器人 Webhook 地址')).waitFor();
    await page.getByTestId('channel-form-url').fill(`http://127.0.0.1:${sink.port}/robot/send?access_token=e2e-token`);
    await page.getByTestId('channel-form-secret').fill(DING_SECRET);
    await page.getByTestId('channel-form-at-all').click();
    await screenshot(page, 'zh-channel-form-dingtalk');
    await page.getByTestId('channel-form-submit').click();
    await page.getByTestId('channel-drawer').waitFor({ state: 'detached' });

    const row = channelRow(page, DINGTALK);
    await row.getByTestId('channel-row-type').filter({ hasText: exactly('钉钉') }).waitFor();
    await row.getByTestId('channel-row-name').click();
    await page.getByTestId('channel-drawer').waitFor();
    for (const field of ['url', 'secret']) {
      const input = page.getByTestId(`channel-form-${field}`);
      expect(await input.inputValue()).toBe('');
      expect(await input.getAttribute('placeholder')).toBe('已设置，留空则保持不变');
    }
    await screenshot(page, 'zh-channel-secret-set');

    // Saving without touching the secrets keeps them (the server is told nothing of them).
    await page.getByTestId('channel-form-name').fill(`${DINGTALK} 2`);
    await page.getByTestId('channel-form-submit').click();
    await page.getByTestId('channel-drawer').waitFor({ state: 'detached' });
    await channelRow(page, `${DINGTALK} 2`).waitFor();
    const list = await context.request.get('/api/v1/channels?type=dingtalk');
    const view = ((await list.json()) as { items: { id: string; secretsSet: string[] }[] }).items[0];
    expect(view?.secretsSet).toEqual(['secret', 'url']);
    dingtalkId = view?.id ?? '';
    expect(await (await context.request.get(`/api/v1/channels/${dingtalkId}`)).text()).not.toContain(DING_SECRET);
  });

  it('shows each type its own fields, checked as the server checks them', async () => {
    await page.getByTestId('channel-create').click();
    const drawer = page.getByTestId('channel-drawer');
    const pick = async (type: string) => {
      await page.getByTestId('channel-form-type').click();
      await option(page, exactly(type)).click();
    };
    // A tag list shows its input once clicked.
    const addTag = async (text: string) => {
      await drawer.getByTestId('channel-field-to').locator('.n-base-selection').click();
      await page.getByTestId('channel-form-to').fill(text);
      await page.keyboard.press('Enter');
    };
    await pick('邮件');
    await addTag('not-an-address');
    await fieldError(page, 'to').filter({ hasText: exactly('邮箱地址格式不正确') }).waitFor();
    await pick('PagerDuty');
    await drawer.getByTestId('channel-field-routingKey').getByText(exactly('集成密钥（Routing key）')).waitFor();
    await pick('短信 / 语音网关');
    await drawer.getByTestId('channel-field-body').getByText(exactly('请求体模板')).waitFor();
    await drawer.getByTestId('message-variables').first().getByText(exactly('{{to}}')).waitFor();
    // Mail addresses are not phone numbers: the list starts empty for the new type.
    expect(await drawer.getByTestId('channel-field-to').locator('.n-tag').count()).toBe(0);
    await addTag('call-me');
    await fieldError(page, 'to').filter({ hasText: '请输入手机号码' }).waitFor();
    await screenshot(page, 'zh-channel-form-sms');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
  });

  it('edits the outbound policy, showing what a save changes before it is confirmed', async () => {
    await page.getByTestId('menu-notify-outbound-policy').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('出站策略') }).waitFor();
    await page.getByTestId('policy-rules').getByText('云元数据地址').waitFor();
    await page.getByTestId('policy-deny-add').click();
    await page.getByTestId('policy-deny-input').fill('10.0.0.0/8');
    await page.keyboard.press('Enter');
    await page.getByTestId('policy-change-added').filter({ hasText: '10.0.0.0/8' }).waitFor();
    await screenshot(page, 'zh-outbound-policy');
    await page.getByTestId('policy-save').click();
    await page.getByText('拒绝列表：新增 1 项，移除 0 项').waitFor();
    await page.getByTestId('confirm-ok').click();
    await page.getByText('出站策略已保存').waitFor();
    await page.getByTestId('policy-changes').waitFor({ state: 'detached' });
    const policy = await context.request.get('/api/v1/channels/outbound-policy');
    expect(await policy.json()).toEqual({ allow: [], deny: ['10.0.0.0/8'] });
  });

  it('creates a job alert naming the webhook channel', async () => {
    await page.getByTestId('menu-jobs-alerts').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('预警配置') }).waitFor();
    await page.getByTestId('job-alerts-table').getByText('还没有预警配置').waitFor();
    await page.getByTestId('job-alert-create').click();
    const modal = page.getByTestId('job-alert-modal');
    await page.getByTestId('job-alert-name').fill(ALERT);
    // No channel yet: the form says so before asking the server.
    await page.getByTestId('job-alert-submit').click();
    await modal.locator('.n-form-item-feedback--error').first().waitFor();
    await page.getByTestId('job-alert-channels-select').click();
    await page.getByTestId('job-alert-channels').fill('回调');
    await page.getByTestId('job-alert-channel-option').filter({ hasText: WEBHOOK }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('job-alert-on-killed').click();
    await page.getByTestId('job-alert-duration').fill('30');
    await screenshot(page, 'zh-job-alert-form');
    await page.getByTestId('job-alert-submit').click();
    await modal.waitFor({ state: 'detached' });

    const row = page.getByTestId('job-alerts-table').locator('tr', { has: page.getByTestId('job-alert-row-name').filter({ hasText: exactly(ALERT) }) });
    await row.getByText(exactly('全部模板')).waitFor();
    await row.getByText(exactly('部分失败')).waitFor();
    await row.getByText(exactly('已终止')).waitFor();
    await row.getByText(exactly('超过 30 分钟')).waitFor();
    await row.getByTestId('job-alert-row-channels').getByText(exactly(WEBHOOK)).waitFor();
    await screenshot(page, 'zh-job-alerts');
  });

  it('tells the timeline what happened in sentences', async () => {
    await page.getByTestId('menu-events-timeline').click();
    const text = page.getByTestId('timeline-item-text');
    await text.filter({ hasText: exactly(`admin 新建了Webhook通知渠道 ${WEBHOOK}`) }).waitFor();
    await text.filter({ hasText: exactly(`admin 新建了钉钉通知渠道 ${DINGTALK}`) }).waitFor();
    await text.filter({ hasText: exactly(`admin 修改了通知渠道 ${DINGTALK} 2`) }).waitFor();
    await text.filter({ hasText: exactly(`admin 新建了作业预警 ${ALERT}`) }).waitFor();
  });

  it('reads in English too', async () => {
    await page.getByTestId('locale-switch').click();
    await page.getByTestId('locale-en').click();
    await page.getByTestId('locale-en').waitFor({ state: 'detached' });
    await page.getByTestId('menu-notify-channels').filter({ hasText: exactly('Channels') }).click();
    await page.getByTestId('page-title').filter({ hasText: exactly('Notification channels') }).waitFor();
    await channelRow(page, WEBHOOK).getByTestId('channel-row-type').filter({ hasText: exactly('Webhook') }).waitFor();
    await channelRow(page, `${DINGTALK} 2`).getByTestId('channel-row-type').filter({ hasText: exactly('DingTalk') }).waitFor();
    await screenshot(page, 'en-channels');
    await page.getByTestId('menu-notify-deliveries').click();
    await page.getByTestId('delivery-status').filter({ hasText: exactly('Sent') }).first().waitFor();
    await screenshot(page, 'en-deliveries');
  });

  it('logged no errors', () => {
    expect(session.problems).toEqual([]);
  });
});
