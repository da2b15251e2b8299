import type { APIResponse, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiChange, createTreeNode } from './support/api';
import { openConsole, signInAsAdmin, type ConsoleSession } from './support/console';
import { screenshot } from './support/screenshots';
import type { RunningServer } from './support/server';
import { exactly } from './support/text';

const INTEGRATION = 'Prometheus 生产';
const CPU = 'web-1 CPU 使用率过高';
const DISK = 'db-1 磁盘空间不足';
const BACKUP = 'db-1 夜间备份失败';
const SILENCE_COMMENT = '夜间备份窗口，联系李雷';
const APP_HOST = 'app-1';
const HOST_DOWN = 'app-1 主机宕机';
const NGINX = 'app-1 Nginx 5xx 比例过高';
const RULE = '主机宕机抑制其上服务告警';

const option = (page: Page, text: string | RegExp) => page.locator('.n-base-select-option').filter({ hasText: text, visible: true });
const fieldError = (item: Locator) => item.locator('.n-form-item-feedback--error');
const alertRow = (page: Page, title: string) => page.locator(`[data-testid="alert-row"][data-title="${title}"]`);
const alertRows = (page: Page) => page.getByTestId('alert-row');
const integrationRow = (page: Page, name: string) => page.locator(`[data-testid="integration-row"][data-name="${name}"]`);

/** One alert of an Alertmanager webhook (version 4), firing, as Alertmanager posts it. */
function amAlert(labels: Record<string, string>, summary: string, fingerprint: string): Record<string, unknown> {
  return {
    status: 'firing',
    labels,
    annotations: { summary, description: `${summary}，已持续 5 分钟` },
    startsAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus:9090/graph?g0.expr=up',
    fingerprint,
  };
}

const amBody = (alerts: Record<string, unknown>[]) => ({
  version: '4',
  groupKey: '{}:{alertname="e2e"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'opsline',
  groupLabels: {},
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://alertmanager:9093',
  alerts,
});

const cpu = amAlert({ alertname: 'HighCPU', instance: 'web-1:9100', job: 'node', severity: 'critical', service: 'shop', node: 'shop' }, CPU, 'e2e0000000000001');
const disk = amAlert({ alertname: 'DiskFull', instance: 'db-1:9100', job: 'node', severity: 'warning', service: 'shop' }, DISK, 'e2e0000000000002');
const backup = amAlert({ alertname: 'BackupFailed', instance: 'db-1:9100', job: 'backup', severity: 'critical' }, BACKUP, 'e2e0000000000003');
// Both on app-1, a host in the CMDB: its HostDown alert inhibits the other (a dependency rule, scope host).
const hostDown = amAlert({ alertname: 'HostDown', instance: `${APP_HOST}:9100`, job: 'node', severity: 'critical' }, HOST_DOWN, 'e2e0000000000004');
const nginx = amAlert({ alertname: 'Nginx5xx', instance: `${APP_HOST}:9100`, job: 'nginx', severity: 'warning' }, NGINX, 'e2e0000000000005');

describe('the alert center in the console: integrations, alerts, silences', () => {
  let session: ConsoleSession;
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let ingestUrl = '';
  let key = '';

  /** Posts to an ingest URL as a sender would (no session needed: the key in the URL is the credential). */
  const post = (url: string, body: unknown): Promise<APIResponse> => context.request.post(url, { data: body });

  async function postOk(url: string, body: unknown): Promise<Record<string, number>> {
    const res = await post(url, body);
    expect(res.status(), await res.text()).toBe(200);
    return (await res.json()) as Record<string, number>;
  }

  /** Picks an option of a select by its test id. */
  async function choose(selectTestId: string, text: string | RegExp, within: Page | Locator = page): Promise<void> {
    await within.getByTestId(selectTestId).click();
    await option(page, text).first().click();
  }

  /** What the page put on the clipboard (evaluated in the page; the e2e has no DOM types). */
  const clipboard = (): Promise<string> => page.evaluate<string>('navigator.clipboard.readText()');

  async function clearSelect(selectTestId: string): Promise<void> {
    const select = page.getByTestId(selectTestId);
    await select.hover();
    await select.locator('.n-base-clear').click();
  }

  beforeAll(async () => {
    session = await openConsole();
    ({ server, context, page } = session);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  });

  afterAll(async () => {
    if (process.env.OPSLINE_E2E_DEBUG) console.log(server?.output());
    await session?.close();
  });

  it('shows the alert pages under Alerts & on-call', async () => {
    await signInAsAdmin(page, server);
    // The CPU alert names this node in its `node` label.
    await createTreeNode(context, { name: 'shop' });
    expect(await page.getByTestId('menu-alerts').textContent()).toBe('告警列表');
    expect(await page.getByTestId('menu-alerts-integrations').textContent()).toBe('告警接入');
    expect(await page.getByTestId('menu-alerts-silences').textContent()).toBe('静默与维护窗口');
    await page.getByTestId('menu-alerts-integrations').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('告警接入') }).waitFor();
    await page.getByTestId('integrations-table').getByText(/还没有告警接入/).waitFor();
  });

  it('creates an Alertmanager integration: a missing name is refused on its field, then the URL and key show once', async () => {
    await page.getByTestId('integration-create').click();
    const drawer = page.getByTestId('integration-drawer');
    await drawer.getByTestId('integration-form-submit').click();
    await fieldError(drawer.getByTestId('integration-form-name-item')).filter({ hasText: '必填' }).waitFor();

    await drawer.getByTestId('integration-form-name').fill(INTEGRATION);
    await fieldError(drawer.getByTestId('integration-form-name-item')).waitFor({ state: 'detached' });
    await drawer.getByTestId('integration-form-severity-defaults').filter({ hasText: 'critical → P1，warning → P3，info → P5' }).waitFor();
    // Our own "page" severity goes to P0.
    await drawer.getByTestId('integration-form-severity-map').getByRole('button').first().click();
    await drawer.getByTestId('integration-form-severity-source-0').fill('page');
    await choose('integration-form-severity-target-0', exactly('P0'), drawer);
    await screenshot(page, 'zh-integration-form');
    await drawer.getByTestId('integration-form-submit').click();

    const reveal = page.getByTestId('integration-reveal');
    await reveal.getByText(`已创建接入 ${INTEGRATION}`).waitFor();
    await drawer.waitFor({ state: 'detached' });
    ingestUrl = await reveal.getByTestId('integration-url').inputValue();
    key = await reveal.getByTestId('integration-key').inputValue();
    expect(ingestUrl).toBe(`${server.baseUrl}/api/v1/integrations/${key}/alertmanager`);
    expect(key.length).toBeGreaterThan(30);
    await reveal.getByTestId('integration-howto-alertmanager').getByText(`url: ${ingestUrl}`).waitFor();

    await reveal.getByTestId('integration-url-copy').click();
    await page.getByText('已复制到剪贴板').first().waitFor();
    expect(await clipboard()).toBe(ingestUrl);
    await reveal.getByTestId('integration-key-copy').click();
    await expect.poll(clipboard).toBe(key);
    await screenshot(page, 'zh-integration-created');
    await reveal.getByTestId('integration-reveal-done').click();
    await reveal.waitFor({ state: 'detached' });

    const row = integrationRow(page, INTEGRATION);
    await row.getByTestId('integration-row-type').filter({ hasText: exactly('Alertmanager') }).waitFor();
    expect(await row.getByTestId('integration-row-key').innerText()).toBe(`${key.slice(0, 6)}…`);
    expect(await row.getByTestId('integration-row-url').innerText()).toBe(`${server.baseUrl}/api/v1/integrations/{key}/alertmanager`);
  });

  it('refuses a second integration of the same name, on the name field (the server says so)', async () => {
    await page.getByTestId('integration-create').click();
    const drawer = page.getByTestId('integration-drawer');
    await drawer.getByTestId('integration-form-name').fill(INTEGRATION);
    await drawer.getByTestId('integration-form-submit').click();
    await fieldError(drawer.getByTestId('integration-form-name-item')).filter({ hasText: '同名的告警接入已存在' }).waitFor();
    await screenshot(page, 'zh-integration-form-taken');
    await drawer.getByRole('button', { name: '取消' }).click();
    await drawer.waitFor({ state: 'detached' });
  });

  it('takes an Alertmanager webhook: two alerts, one of them repeated', async () => {
    expect(await postOk(ingestUrl, amBody([cpu, disk]))).toMatchObject({ accepted: 2, fired: 2, repeated: 0 });
    expect(await postOk(ingestUrl, amBody([cpu]))).toMatchObject({ accepted: 1, fired: 0, repeated: 1 });
  });

  it('lists them, the repeat counted, and the filters narrow the list', async () => {
    await page.getByTestId('menu-alerts').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('告警列表') }).waitFor();
    const cpuRow = alertRow(page, CPU);
    await cpuRow.getByTestId('alert-row-count').filter({ hasText: exactly('2') }).waitFor();
    expect(await cpuRow.getByTestId('alert-row-severity').innerText()).toBe('P1');
    expect(await cpuRow.getByTestId('alert-row-status').innerText()).toBe('告警中');
    expect(await cpuRow.getByTestId('alert-row-host').innerText()).toBe('web-1:9100');
    await cpuRow.getByTestId('alert-row-node').filter({ hasText: exactly('shop') }).waitFor();
    expect(await cpuRow.getByTestId('alert-row-source').innerText()).toContain(INTEGRATION);
    const diskRow = alertRow(page, DISK);
    expect(await diskRow.getByTestId('alert-row-count').innerText()).toBe('1');
    expect(await diskRow.getByTestId('alert-row-severity').innerText()).toBe('P3');
    expect(await alertRows(page).count()).toBe(2);
    await screenshot(page, 'zh-alerts');

    await choose('alerts-severity-filter', exactly('P3'));
    await page.waitForURL(/severity=P3/);
    await cpuRow.waitFor({ state: 'detached' });
    expect(await alertRows(page).count()).toBe(1);
    await clearSelect('alerts-severity-filter');
    await cpuRow.waitFor();

    await page.getByTestId('alerts-search').fill('web-1');
    await diskRow.waitFor({ state: 'detached' });
    expect(await alertRows(page).count()).toBe(1);
    await page.getByTestId('alerts-search').fill('');
    await diskRow.waitFor();

    await choose('alerts-view-filter', exactly('已恢复'));
    await page.getByTestId('alerts-table').getByText('没有符合筛选条件的记录').waitFor();
    await choose('alerts-view-filter', exactly('告警中'));
    await choose('alerts-integration-filter', exactly(INTEGRATION));
    await diskRow.waitFor();
    expect(await alertRows(page).count()).toBe(2);
    await clearSelect('alerts-integration-filter');
  });

  it('acknowledges both at once', async () => {
    await alertRow(page, CPU).locator('.n-checkbox').click();
    await alertRow(page, DISK).locator('.n-checkbox').click();
    await page.getByTestId('alerts-bulk-ack').filter({ hasText: '确认所选（2）' }).click();
    await page.getByText('已确认 2 条告警').waitFor();
    await alertRow(page, CPU).getByTestId('alert-row-acked').filter({ hasText: exactly('已确认') }).waitFor();
    await alertRow(page, DISK).getByTestId('alert-row-acked').waitFor();
    // Acknowledged ones cannot be chosen again.
    expect(await alertRow(page, CPU).locator('.n-checkbox--disabled').count()).toBe(1);
  });

  it('opens one: its labels, annotations and the raw payload as Alertmanager sent it', async () => {
    await alertRow(page, CPU).getByTestId('alert-row-title').click();
    const drawer = page.getByTestId('alert-drawer');
    await drawer.getByTestId('alert-title').filter({ hasText: exactly(CPU) }).waitFor();
    await page.waitForURL(/[?&]alert=/);
    expect(await drawer.getByTestId('alert-severity').innerText()).toBe('P1');
    expect(await drawer.getByTestId('alert-count').innerText()).toBe('2');
    await drawer.getByTestId('alert-label').filter({ hasText: exactly('alertname=HighCPU') }).waitFor();
    await drawer.getByTestId('alert-label').filter({ hasText: exactly('instance=web-1:9100') }).waitFor();
    await drawer.getByTestId('alert-annotations').getByText(`${CPU}，已持续 5 分钟`).waitFor();
    await drawer.getByTestId('alert-acked').filter({ hasText: /admin 确认/ }).waitFor();
    // The incident it joined, one click away.
    await drawer.getByTestId('alert-incident-link').filter({ hasText: /^#\d+ / }).waitFor();
    const payload = await drawer.getByTestId('alert-payload').innerText();
    expect(payload).toContain('"receiver": "opsline"');
    expect(payload).toContain('"fingerprint": "e2e0000000000001"');
    await screenshot(page, 'zh-alert-detail');

    // The link survives a reload.
    await page.reload();
    await drawer.getByTestId('alert-title').filter({ hasText: exactly(CPU) }).waitFor();
    await drawer.locator('.n-drawer-header__close').click();
    await drawer.waitFor({ state: 'detached' });
    await page.waitForURL((url) => !url.searchParams.has('alert'));
  });

  it('creates a silence: bad input is refused on its fields, then a matching alert arrives silenced', async () => {
    await page.getByTestId('menu-alerts-silences').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('静默与维护窗口') }).waitFor();
    await page.getByTestId('silences-table').getByText('还没有静默规则').waitFor();
    await page.getByTestId('silence-create').click();
    const drawer = page.getByTestId('silence-drawer');
    await drawer.getByTestId('silence-form-submit').click();
    await fieldError(drawer.getByTestId('silence-form-matchers-item')).filter({ hasText: '每个匹配条件都需要填写标签名' }).waitFor();
    await fieldError(drawer.getByTestId('silence-form-comment-item')).filter({ hasText: '必填' }).waitFor();

    await drawer.getByTestId('grouping-rule-matcher-name-0').fill('alertname');
    await choose('grouping-rule-matcher-op-0', /^=~/, drawer);
    await drawer.getByTestId('grouping-rule-matcher-value-0').fill('Backup.*');
    await drawer.getByTestId('silence-form-comment').fill(SILENCE_COMMENT);
    await fieldError(drawer.getByTestId('silence-form-comment-item')).waitFor({ state: 'detached' });
    // A weekly window shows its fields; switched off again, it is not sent.
    await drawer.getByTestId('silence-form-recurring').click();
    await drawer.getByTestId('silence-form-days').waitFor();
    await drawer.getByTestId('silence-form-window-hint').filter({ hasText: '时间按所选时区的当地时间计算' }).waitFor();
    await screenshot(page, 'zh-silence-form');
    await drawer.getByTestId('silence-form-recurring').click();
    await drawer.getByTestId('silence-form-submit').click();
    await page.getByText('已创建静默').waitFor();
    await drawer.waitFor({ state: 'detached' });

    const row = page.locator(`[data-testid="silence-row"][data-comment="${SILENCE_COMMENT}"]`);
    await row.getByTestId('silence-row-state').filter({ hasText: exactly('生效中') }).waitFor();
    await row.getByTestId('silence-row-matchers').getByText('alertname=~"Backup.*"').waitFor();
    await screenshot(page, 'zh-silences');

    expect(await postOk(ingestUrl, amBody([backup]))).toMatchObject({ fired: 1 });
    await page.getByTestId('menu-alerts').click();
    const silenced = alertRow(page, BACKUP);
    await silenced.getByTestId('alert-row-silenced').filter({ hasText: exactly('已静默') }).waitFor();
    expect(await alertRow(page, CPU).getByTestId('alert-row-silenced').count()).toBe(0);
    await silenced.getByTestId('alert-row-title').click();
    await page.getByTestId('alert-drawer').getByTestId('alert-silenced-by').filter({ hasText: '已被静默' }).waitFor();
    await page.getByTestId('alert-drawer').locator('.n-drawer-header__close').click();
  });

  it('starts a silence from an alert with its labels, and expires the first one', async () => {
    await alertRow(page, DISK).getByTestId('alert-row-title').click();
    await page.getByTestId('alert-drawer').getByTestId('alert-silence-similar').click();
    const drawer = page.getByTestId('silence-drawer');
    await page.waitForURL((url) => url.pathname === '/alerts/silences' && !url.searchParams.has('create'));
    expect(await drawer.getByTestId('grouping-rule-matcher-name-0').inputValue()).toBe('alertname');
    expect(await drawer.getByTestId('grouping-rule-matcher-value-0').inputValue()).toBe('DiskFull');
    await drawer.getByRole('button', { name: '取消' }).click();
    await drawer.waitFor({ state: 'detached' });

    const row = page.locator(`[data-testid="silence-row"][data-comment="${SILENCE_COMMENT}"]`);
    await row.getByTestId('silence-more').click();
    await page.getByTestId('silence-expire').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByText('静默已失效').waitFor();
    await row.getByTestId('silence-row-state').filter({ hasText: exactly('已过期') }).waitFor();
  });

  it('rotates the key: the old one is refused, the new one taken', async () => {
    await page.getByTestId('menu-alerts-integrations').click();
    const row = integrationRow(page, INTEGRATION);
    await row.getByTestId('integration-more').click();
    await page.getByTestId('integration-rotate').click();
    // This dialog's own button: the last test's confirm may still be fading out.
    await page.locator('.n-dialog', { hasText: `确定为「${INTEGRATION}」生成新密钥吗` }).getByTestId('confirm-ok').click();
    const reveal = page.getByTestId('integration-reveal');
    await reveal.getByText(`${INTEGRATION} 的新密钥`).waitFor();
    const newUrl = await reveal.getByTestId('integration-url').inputValue();
    const newKey = await reveal.getByTestId('integration-key').inputValue();
    expect(newKey).not.toBe(key);
    expect(newUrl).toBe(`${server.baseUrl}/api/v1/integrations/${newKey}/alertmanager`);
    await reveal.getByTestId('integration-reveal-done').click();
    await reveal.waitFor({ state: 'detached' });
    await row.getByTestId('integration-row-key').filter({ hasText: exactly(`${newKey.slice(0, 6)}…`) }).waitFor();

    const refused = await post(ingestUrl, amBody([cpu]));
    expect(refused.status()).toBe(401);
    expect(await postOk(newUrl, amBody([cpu]))).toMatchObject({ repeated: 1 });
    ingestUrl = newUrl;
  });

  it('keeps what the URL refused, with the reason and the body', async () => {
    const bad = await post(ingestUrl, { alerts: 'not a list' });
    expect(bad.status()).toBe(400);
    const row = integrationRow(page, INTEGRATION);
    await row.getByTestId('integration-more').click();
    await page.getByTestId('integration-rejected').click();
    const drawer = page.getByTestId('rejected-drawer');
    const rejected = drawer.getByTestId('rejected-row');
    await rejected.first().waitFor();
    expect(await rejected.count()).toBe(1);
    expect(await rejected.getByTestId('rejected-reason').innerText()).toContain('alerts');
    await rejected.click();
    await drawer.getByTestId('rejected-body').filter({ hasText: '"not a list"' }).waitFor();
    await screenshot(page, 'zh-integration-rejected');
    await drawer.locator('.n-drawer-header__close').click();
    await drawer.waitFor({ state: 'detached' });
  });

  it('disables the integration from its switch: its URL answers 401 until enabled again', async () => {
    const row = integrationRow(page, INTEGRATION);
    await row.getByTestId('integration-row-enabled').click();
    await page.getByText(`已停用接入 ${INTEGRATION}`).waitFor();
    expect((await post(ingestUrl, amBody([cpu]))).status()).toBe(401);
    await row.getByTestId('integration-row-enabled').click();
    await page.getByText(`已启用接入 ${INTEGRATION}`).waitFor();
    expect((await post(ingestUrl, amBody([cpu]))).status()).toBe(200);
  });

  it('adds a dependency from the preset: a cleared name is refused on its field', async () => {
    // Host scope needs the host in the CMDB: the alerts name it in `instance`.
    const made = await apiChange(context, 'POST', '/api/v1/hosts', { hostname: APP_HOST, ips: ['10.60.0.11'] });
    expect(made.status(), await made.text()).toBe(201);

    expect(await page.getByTestId('menu-alerts-inhibit-rules').textContent()).toBe('抑制规则');
    await page.getByTestId('menu-alerts-inhibit-rules').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('抑制规则') }).waitFor();
    await page.getByTestId('inhibit-rules-table').getByText(/还没有抑制规则：/).waitFor();
    await page.getByTestId('inhibit-rule-create').click();
    const drawer = page.getByTestId('inhibit-rule-drawer');
    await drawer.getByTestId('inhibit-rule-preset').click();
    const name = drawer.getByTestId('inhibit-rule-form-name');
    expect(await name.inputValue()).toBe(RULE);
    const source = drawer.getByTestId('inhibit-rule-form-source-item');
    expect(await source.getByTestId('grouping-rule-matcher-name-0').inputValue()).toBe('alertname');
    expect(await source.getByTestId('grouping-rule-matcher-value-0').inputValue()).toBe('HostDown');
    expect(await drawer.getByTestId('inhibit-rule-form-target-item').getByTestId('grouping-rule-matcher-name-0').count()).toBe(0);
    await drawer.locator('.n-radio--checked[data-testid="inhibit-rule-form-scope-host"]').waitFor();

    await name.fill('');
    await drawer.getByTestId('inhibit-rule-form-submit').click();
    const nameItem = drawer.getByTestId('inhibit-rule-form-name-item');
    await fieldError(nameItem).filter({ hasText: '必填' }).waitFor();
    await name.fill(RULE);
    await fieldError(nameItem).waitFor({ state: 'detached' });
    // The earlier tests' messages are gone before the picture.
    await expect.poll(() => page.locator('.n-message').count(), { timeout: 10_000 }).toBe(0);
    await screenshot(page, 'zh-inhibit-rule-form');
    await drawer.getByTestId('inhibit-rule-form-submit').click();
    await page.getByText(`已创建抑制规则 ${RULE}`).waitFor();
    await drawer.waitFor({ state: 'detached' });

    const row = page.locator(`[data-testid="inhibit-rule-row"][data-name="${RULE}"]`);
    await row.getByTestId('inhibit-rule-row-scope').filter({ hasText: exactly('同一主机') }).waitFor();
    await row.getByTestId('inhibit-rule-row-source').getByText('alertname="HostDown"').waitFor();
    await row.getByTestId('inhibit-rule-row-target').filter({ hasText: exactly('该范围内的其他所有告警') }).waitFor();
    expect(await row.getByTestId('inhibit-rule-row-created-by').innerText()).toBe('admin');
    expect(await row.getByTestId('inhibit-rule-row-enabled').getAttribute('aria-checked')).toBe('true');
    await screenshot(page, 'zh-inhibit-rules');
  });

  it('holds back a service alert of a host that is down, linking it to the HostDown alert', async () => {
    expect(await postOk(ingestUrl, amBody([hostDown]))).toMatchObject({ fired: 1 });
    expect(await postOk(ingestUrl, amBody([nginx]))).toMatchObject({ fired: 1 });
    await page.getByTestId('menu-alerts').click();
    const held = alertRow(page, NGINX);
    await held.getByTestId('alert-row-inhibited').filter({ hasText: exactly('已抑制') }).waitFor();
    await alertRow(page, HOST_DOWN).getByTestId('alert-row-status').waitFor();
    expect(await alertRow(page, HOST_DOWN).getByTestId('alert-row-inhibited').count()).toBe(0);
    expect(await alertRow(page, CPU).getByTestId('alert-row-inhibited').count()).toBe(0);

    await held.getByTestId('alert-row-title').click();
    const drawer = page.getByTestId('alert-drawer');
    await drawer.getByTestId('alert-title').filter({ hasText: exactly(NGINX) }).waitFor();
    const link = drawer.getByTestId('alert-inhibited-by').filter({ hasText: exactly(HOST_DOWN) });
    await link.waitFor();
    await screenshot(page, 'zh-alert-inhibited');
    await link.click();
    await drawer.getByTestId('alert-title').filter({ hasText: exactly(HOST_DOWN) }).waitFor();
    await drawer.getByTestId('alert-inhibited-by-none').waitFor();
    await drawer.locator('.n-drawer-header__close').click();
    await drawer.waitFor({ state: 'detached' });
    await page.waitForURL((url) => !url.searchParams.has('alert'));
  });

  it('switches the rule off from its switch, then deletes it', async () => {
    await page.getByTestId('menu-alerts-inhibit-rules').click();
    const row = page.locator(`[data-testid="inhibit-rule-row"][data-name="${RULE}"]`);
    const enabled = row.getByTestId('inhibit-rule-row-enabled');
    await enabled.click();
    await page.getByText(`已停用抑制规则 ${RULE}`).waitFor();
    await expect.poll(() => enabled.getAttribute('aria-checked')).toBe('false');

    await row.getByTestId('inhibit-rule-more').click();
    await page.getByTestId('inhibit-rule-delete').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByText(`已删除抑制规则 ${RULE}`).waitFor();
    await row.waitFor({ state: 'detached' });
    await page.getByTestId('inhibit-rules-table').getByText(/还没有抑制规则：/).waitFor();
    // The English pass starts on the integrations page.
    await page.getByTestId('menu-alerts-integrations').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('告警接入') }).waitFor();
  });

  it('reads in English too', async () => {
    await page.getByTestId('locale-switch').click();
    await page.getByTestId('locale-en').click();
    await page.getByTestId('locale-en').waitFor({ state: 'detached' });
    await page.getByTestId('page-title').filter({ hasText: exactly('Alert integrations') }).waitFor();
    await integrationRow(page, INTEGRATION).getByTestId('integration-row-type').filter({ hasText: exactly('Alertmanager') }).waitFor();
    await screenshot(page, 'en-integrations');

    await page.getByTestId('menu-alerts').filter({ hasText: exactly('Alerts') }).click();
    await alertRow(page, CPU).getByTestId('alert-row-status').filter({ hasText: exactly('Firing') }).waitFor();
    await alertRow(page, CPU).getByTestId('alert-row-acked').filter({ hasText: exactly('Acknowledged') }).waitFor();
    await alertRow(page, BACKUP).getByTestId('alert-row-silenced').filter({ hasText: exactly('Silenced') }).waitFor();
    await alertRow(page, NGINX).getByTestId('alert-row-inhibited').filter({ hasText: exactly('Inhibited') }).waitFor();
    await page.getByTestId('alerts-bulk-ack').filter({ hasText: 'Acknowledge selected (0)' }).waitFor();
    await screenshot(page, 'en-alerts');

    await page.getByTestId('menu-alerts-silences').filter({ hasText: exactly('Silences') }).click();
    await page.locator(`[data-testid="silence-row"][data-comment="${SILENCE_COMMENT}"]`).getByTestId('silence-row-state').filter({ hasText: exactly('Expired') }).waitFor();
    await page.getByTestId('silence-create').click();
    const drawer = page.getByTestId('silence-drawer');
    await drawer.getByTestId('silence-form-recurring').click();
    await drawer.getByTestId('silence-form-day-1').filter({ hasText: 'Mon' }).waitFor();
    await screenshot(page, 'en-silence-form');
    await drawer.getByRole('button', { name: 'Cancel' }).click();
    await drawer.waitFor({ state: 'detached' });

    await page.getByTestId('menu-alerts-inhibit-rules').filter({ hasText: exactly('Inhibition rules') }).click();
    await page.getByTestId('inhibit-rules-table').getByText(/^No inhibition rules yet: /).waitFor();
    await page.getByTestId('inhibit-rule-create').click();
    const rule = page.getByTestId('inhibit-rule-drawer');
    await rule.getByTestId('inhibit-rule-preset').filter({ hasText: exactly('Dependency preset') }).click();
    await rule.getByTestId('inhibit-rule-form-scope-host').filter({ hasText: 'Same host' }).waitFor();
    await screenshot(page, 'en-inhibit-rule-form');
    await rule.getByRole('button', { name: 'Cancel' }).click();
  });

  it('logged no errors', () => {
    expect(session.problems).toEqual([]);
  });
});
