import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@opsline/test-utils/wait';
import { apiChange, createTreeNode, type TreeNode } from './support/api';
import { openConsole, signInAsAdmin, type ConsoleSession } from './support/console';
import { screenshot } from './support/screenshots';
import type { RunningServer } from './support/server';
import { exactly } from './support/text';

const TITLE = '支付接口大量超时';
const NOTE = '已回滚到上一版本，观察中';
const ACK_COMMENT = '我来处理，正在排查数据库连接池';

const option = (page: Page, text: string | RegExp) => page.locator('.n-base-select-option').filter({ hasText: text, visible: true });
const row = (page: Page, n: number) => page.locator(`[data-testid="incident-row"][data-number="${n}"]`);
const entries = (page: Page) => page.getByTestId('incident-timeline-entry');
const entry = (page: Page, kind: string) => page.locator(`[data-testid="incident-timeline-entry"][data-kind="${kind}"]`);
const header = (page: Page, status: string) => page.locator(`[data-testid="incident-header"][data-status="${status}"]`);
const fieldError = (item: Locator) => item.locator('.n-form-item-feedback--error');

interface Incident {
  id: string;
  number: number;
  priority: string;
}

describe('incidents in the console: open, work, postmortem, settings, grouping and the overview', () => {
  let session: ConsoleSession;
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let node: TreeNode;
  let firstUrl = '';

  /** Opens an incident through the API as the signed-in browser. */
  async function openByApi(body: Record<string, unknown>): Promise<Incident> {
    const res = await apiChange(context, 'POST', '/api/v1/incidents', body);
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()) as Incident;
  }

  /** Types into a searchable select's input (by its test id) and picks the option found. */
  async function search(inputTestId: string, query: string, text: string | RegExp): Promise<void> {
    await page.getByTestId(inputTestId).click();
    await page.getByTestId(inputTestId).fill(query);
    await option(page, text).first().click();
  }

  /** Acts in the header (ack or resolve) with a comment, in its confirm dialog. */
  async function act(action: 'ack' | 'resolve', comment: string): Promise<void> {
    await page.getByTestId(`incident-${action}`).click();
    const modal = page.getByTestId(`incident-${action}-modal`);
    await modal.getByTestId('incident-action-comment').fill(comment);
    await modal.getByTestId('incident-action-confirm').click();
    await modal.waitFor({ state: 'detached' });
  }

  beforeAll(async () => {
    session = await openConsole();
    ({ server, context, page } = session);
  });

  afterAll(async () => {
    if (process.env.OPSLINE_E2E_DEBUG) console.log(server?.output());
    await session?.close();
  });

  it('signs in, with a service-tree node for incidents to be on', async () => {
    await signInAsAdmin(page, server);
    const shop = await createTreeNode(context, { name: 'shop' });
    node = await createTreeNode(context, { name: 'payments', parentId: shop.id, isLeaf: true, icon: 'server' });
  });

  it('opens an incident from the drawer: bad input is refused on its field, and the priority follows impact × urgency', async () => {
    expect(await page.getByTestId('menu-incidents').textContent()).toBe('事件单');
    await page.getByTestId('menu-incidents').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('事件单') }).waitFor();
    await page.getByTestId('incidents-table').getByText('还没有事件单').waitFor();

    await page.getByTestId('incident-create').click();
    const drawer = page.getByTestId('incident-drawer');
    // No title: refused on the title, and nothing is sent.
    await drawer.getByTestId('incident-form-title').fill('   ');
    await drawer.getByTestId('incident-form-submit').click();
    await fieldError(drawer.getByTestId('incident-form-title-item')).filter({ hasText: '必填' }).waitFor();

    // The preview follows the default matrix: medium × medium = P2, high × high = P0, high × medium = P1.
    await drawer.locator('[data-testid="incident-priority-preview"][data-priority="P2"]').waitFor();
    await drawer.getByTestId('incident-form-impact-high').click();
    await drawer.getByTestId('incident-form-urgency-high').click();
    await drawer.locator('[data-testid="incident-priority-preview"][data-priority="P0"]').waitFor();
    await drawer.getByTestId('incident-form-urgency-medium').click();
    await drawer.locator('[data-testid="incident-priority-preview"][data-priority="P1"]').waitFor();

    await drawer.getByTestId('incident-form-title').fill(TITLE);
    await fieldError(drawer.getByTestId('incident-form-title-item')).waitFor({ state: 'detached' });
    await drawer.getByTestId('incident-form-description').fill('下单支付大量 504，从 10:05 开始');
    await search('incident-form-node', 'payments', node.path);
    await screenshot(page, 'zh-incident-form');
    await drawer.getByTestId('incident-form-submit').click();
    await page.getByText('已创建事件单 #1（P1）').waitFor();
    await drawer.waitFor({ state: 'detached' });
  });

  it('lists it with its priority and an SLA countdown that ticks', async () => {
    const first = row(page, 1);
    await first.getByTestId('incident-row-title').filter({ hasText: exactly(TITLE) }).waitFor();
    expect(await first.getByTestId('incident-row-priority').innerText()).toBe('P1');
    await first.getByTestId('incident-row-status').filter({ hasText: exactly('已触发') }).waitFor();
    // P1 is acknowledged within 15 minutes by default: the clock counts down from there.
    const sla = first.getByTestId('incident-sla');
    expect(await sla.getAttribute('data-target')).toBe('ack');
    const before = await sla.innerText();
    expect(before).toMatch(/确认\s*剩余 1[45]:\d\d/);
    await waitFor(async () => ((await sla.innerText()) !== before ? true : undefined), { what: 'the countdown to tick', timeoutMs: 5000 });
    await screenshot(page, 'zh-incidents');
  });

  it('opens it, takes a note, is acknowledged with a comment, assigned, and the timeline grows', async () => {
    await row(page, 1).getByTestId('incident-row-title').click();
    await page.waitForURL(/\/incidents\/[0-9a-f-]{36}$/);
    firstUrl = new URL(page.url()).pathname;
    await page.getByTestId('incident-number').filter({ hasText: exactly('#1') }).waitFor();
    await page.getByTestId('incident-title').filter({ hasText: exactly(TITLE) }).waitFor();
    await page.getByTestId('incident-node').filter({ hasText: exactly(node.path) }).waitFor();
    await header(page, 'triggered').waitFor();
    await page.getByTestId('incident-sla-ack').getByTestId('incident-sla').filter({ hasText: /剩余/ }).waitFor();
    await entry(page, 'opened').waitFor();
    expect(await entries(page).count()).toBe(1);

    await page.getByTestId('incident-note-text').fill(NOTE);
    await page.getByTestId('incident-note-submit').click();
    await entry(page, 'note').getByTestId('incident-timeline-text').filter({ hasText: exactly(NOTE) }).waitFor();
    expect(await entry(page, 'note').getByTestId('incident-timeline-actor').innerText()).toBe('admin');

    await act('ack', ACK_COMMENT);
    await header(page, 'acknowledged').waitFor();
    await page.getByTestId('incident-status').filter({ hasText: exactly('已确认') }).waitFor();
    await entry(page, 'acknowledged').getByTestId('incident-timeline-text').filter({ hasText: ACK_COMMENT }).waitFor();
    await page.getByTestId('incident-sla-ack').getByText('按时完成').waitFor();
    expect(await page.getByTestId('incident-ack').count()).toBe(0);

    await page.getByTestId('incident-assign').click();
    await search('incident-assign-user', 'admin', /admin/);
    await page.getByTestId('incident-assign-submit').click();
    await page.getByTestId('incident-assignee').filter({ hasText: exactly('处理人：admin') }).waitFor();
    await entry(page, 'assigned').waitFor();
    expect(await entries(page).count()).toBe(4);
    await screenshot(page, 'zh-incident-detail');
  });

  it('shows the change before it as a suspect', async () => {
    await page.getByTestId('tab-suspects').click();
    const suspects = page.getByTestId('incident-suspects');
    await suspects.getByTestId('incident-suspect-type').filter({ hasText: exactly('添加节点') }).waitFor();
    await suspects.getByTestId('incident-suspect-summary').filter({ hasText: node.path }).first().waitFor();
    await page.getByTestId('incident-suspects-hours-1').click();
    await suspects.getByTestId('incident-suspect-type').filter({ hasText: exactly('添加节点') }).waitFor();
    await screenshot(page, 'zh-incident-suspects');
  });

  it('writes a postmortem and finds it saved after a reload, then resolves the incident', async () => {
    await page.getByTestId('tab-postmortem').click();
    await page.getByTestId('postmortem-summary').fill('10:05 发布后连接池耗尽，10:40 回滚恢复');
    await page.getByTestId('postmortem-root-cause').fill('新版本把连接池上限从 100 改成了 10');
    await page.getByTestId('postmortem-impact').fill('35 分钟内约 12% 的支付失败');
    await page.getByTestId('postmortem-actions').getByText('添加改进项').click();
    await page.getByTestId('postmortem-action-text-0').fill('连接池上限加入发布检查');
    await search('postmortem-action-owner-0', 'admin', /admin/);
    await page.getByTestId('postmortem-action-done-0').click();
    await page.getByTestId('postmortem-dirty').waitFor();
    await page.getByTestId('postmortem-save').click();
    await page.getByText('已保存复盘').waitFor();
    await page.getByTestId('postmortem-dirty').waitFor({ state: 'detached' });

    await page.reload();
    await page.getByTestId('postmortem').waitFor();
    expect(await page.getByTestId('postmortem-root-cause').inputValue()).toBe('新版本把连接池上限从 100 改成了 10');
    expect(await page.getByTestId('postmortem-summary').inputValue()).toBe('10:05 发布后连接池耗尽，10:40 回滚恢复');
    expect(await page.getByTestId('postmortem-action-text-0').inputValue()).toBe('连接池上限加入发布检查');
    await page.getByTestId('postmortem-action').getByText('admin').waitFor();
    expect(await page.getByTestId('postmortem-action-done-0').getAttribute('aria-checked')).toBe('true');
    await screenshot(page, 'zh-incident-postmortem');

    await act('resolve', '回滚后恢复正常');
    await header(page, 'resolved').waitFor();
    await page.getByTestId('incident-status').filter({ hasText: exactly('已解决') }).waitFor();
    await page.getByTestId('tab-timeline').click();
    await entry(page, 'resolved').getByTestId('incident-timeline-text').filter({ hasText: '回滚后恢复正常' }).waitFor();
    expect(await page.getByTestId('incident-resolve').count()).toBe(0);
  });

  it('acknowledges from a notification\'s link (?do=ack) in its confirm dialog', async () => {
    const second = await openByApi({ title: '磁盘空间不足', impact: 'low', urgency: 'low' });
    expect(second.priority).toBe('P5');
    await page.goto(`/incidents/${second.id}?do=ack`);
    const modal = page.getByTestId('incident-ack-modal');
    await modal.getByText('磁盘空间不足').waitFor();
    // Asked once: the URL forgets it.
    await page.waitForURL((url) => !url.searchParams.has('do'));
    await modal.getByTestId('incident-action-confirm').click();
    await header(page, 'acknowledged').waitFor();
    await page.getByText('已确认事件单 #2').waitFor();
  });

  it('acknowledges several at once from the list, with progress', async () => {
    await openByApi({ title: '订单队列积压', impact: 'high', urgency: 'high' });
    await openByApi({ title: '订单服务 5xx 升高', impact: 'high', urgency: 'high' });
    await page.getByTestId('menu-incidents').click();
    await row(page, 4).waitFor();
    expect(await row(page, 3).getByTestId('incident-row-priority').innerText()).toBe('P0');
    await row(page, 3).locator('.n-checkbox').click();
    await row(page, 4).locator('.n-checkbox').click();
    await page.getByTestId('incident-bulk-ack').filter({ hasText: '确认所选（2）' }).click();
    const modal = page.getByTestId('incident-bulk-modal');
    await modal.getByTestId('incident-bulk-done').waitFor();
    expect(await modal.getByTestId('incident-bulk-progress').innerText()).toBe('已完成 2 / 2');
    await modal.getByTestId('incident-bulk-close').click();
    await row(page, 3).getByTestId('incident-row-status').filter({ hasText: exactly('已确认') }).waitFor();
    await row(page, 4).getByTestId('incident-row-status').filter({ hasText: exactly('已确认') }).waitFor();
    // The resolved first one is not among the open ones.
    expect(await row(page, 1).count()).toBe(0);
  });

  it('edits the matrix in the settings, and a new incident gets the new priority', async () => {
    await page.getByTestId('menu-incidents-settings').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('事件设置') }).waitFor();
    // A storm threshold below 10 is refused on its field.
    await page.getByTestId('settings-storm').fill('5');
    await page.getByTestId('settings-save').click();
    await fieldError(page.getByTestId('settings-storm-item')).filter({ hasText: '不能小于 10' }).waitFor();
    await page.getByTestId('settings-storm').fill('200');
    await page.getByTestId('settings-matrix-low-low').click();
    await option(page, exactly('P1')).click();
    await screenshot(page, 'zh-incident-settings');
    await page.getByTestId('settings-save').click();
    await page.getByText('已保存事件设置').waitFor();

    await page.getByTestId('menu-incidents').click();
    await page.getByTestId('incident-create').click();
    const drawer = page.getByTestId('incident-drawer');
    await drawer.getByTestId('incident-form-title').fill('报表导出偶尔失败');
    await drawer.getByTestId('incident-form-impact-low').click();
    await drawer.getByTestId('incident-form-urgency-low').click();
    await drawer.locator('[data-testid="incident-priority-preview"][data-priority="P1"]').waitFor();
    await drawer.getByTestId('incident-form-submit').click();
    await page.getByText('已创建事件单 #5（P1）').waitFor();
    expect(await row(page, 5).getByTestId('incident-row-priority').innerText()).toBe('P1');
  });

  it('creates a grouping rule', async () => {
    await page.getByTestId('menu-incidents-grouping-rules').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('聚合规则') }).waitFor();
    await page.getByTestId('grouping-rules-table').getByText('还没有聚合规则').waitFor();
    await page.getByTestId('grouping-rule-create').click();
    const modal = page.getByTestId('grouping-rule-modal');
    await modal.getByTestId('grouping-rule-name').fill('支付服务按实例聚合');
    await modal.getByText('添加匹配条件').click();
    await modal.getByTestId('grouping-rule-matcher-name-0').fill('service');
    await modal.getByTestId('grouping-rule-matcher-value-0').fill('pay.*');
    await modal.getByTestId('grouping-rule-matcher-op-0').click();
    await option(page, /^=~/).click();
    // Without group-by labels it is refused there.
    await modal.getByTestId('grouping-rule-submit').click();
    await fieldError(modal.getByTestId('grouping-rule-group-by-item')).waitFor();
    await modal.getByTestId('grouping-rule-group-by').locator('button').click();
    await modal.getByTestId('grouping-rule-group-by-input').fill('instance');
    await page.keyboard.press('Enter');
    await modal.getByTestId('grouping-rule-window').fill('15');
    await screenshot(page, 'zh-grouping-rule-form');
    await modal.getByTestId('grouping-rule-submit').click();
    await page.getByText('已创建聚合规则 支付服务按实例聚合').waitFor();
    await modal.waitFor({ state: 'detached' });
    const rule = page.getByTestId('grouping-rules-table').locator('tr', { has: page.getByTestId('grouping-rule-row-name').filter({ hasText: exactly('支付服务按实例聚合') }) });
    await rule.getByTestId('grouping-rule-row-match').getByText('service=~"pay.*"').waitFor();
    await rule.getByTestId('grouping-rule-row-group-by').getByText('instance').waitFor();
    await rule.getByText('15 分钟').waitFor();
    await screenshot(page, 'zh-grouping-rules');
  });

  it('shows the counts on the overview', async () => {
    await page.getByTestId('menu-incidents-dashboard').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('事件概览') }).waitFor();
    await page.getByTestId('incident-dashboard-opened-value').filter({ hasText: exactly('5') }).waitFor();
    // Open now: #2 (P5), #3 and #4 (P0), #5 (P1); #1 is resolved.
    const open = (p: string) => page.locator(`[data-testid="dashboard-open-priority"][data-priority="${p}"]`);
    expect(await open('P0').getAttribute('data-count')).toBe('2');
    expect(await open('P1').getAttribute('data-count')).toBe('1');
    expect(await open('P5').getAttribute('data-count')).toBe('1');
    expect(await open('P2').getAttribute('data-count')).toBe('0');
    expect(await page.getByTestId('incident-dashboard-mtta-value').innerText()).not.toBe('—');
    expect(await page.getByTestId('incident-dashboard-mttr-value').innerText()).not.toBe('—');
    expect(await page.getByTestId('incident-dashboard-breaches-value').innerText()).toBe('0');
    await page.getByTestId('incident-dashboard-node').filter({ hasText: node.path }).getByTestId('incident-dashboard-node-count').filter({ hasText: exactly('1') }).waitFor();
    await screenshot(page, 'zh-incident-dashboard');
    await page.getByTestId('incident-dashboard-days-30').click();
    await page.getByTestId('incident-dashboard-opened').getByText('新增（30 天）').waitFor();
  });

  it('tells the timeline what happened to incidents in sentences', async () => {
    await page.getByTestId('menu-events-timeline').click();
    const text = page.getByTestId('timeline-item-text');
    await text.filter({ hasText: exactly(`admin 创建了事件单 #1 ${TITLE}（P1）`) }).waitFor();
    await text.filter({ hasText: exactly(`admin 确认了事件单 #1 ${TITLE}`) }).waitFor();
    await text.filter({ hasText: exactly(`admin 将事件单 #1 ${TITLE} 指派给 admin`) }).waitFor();
    await text.filter({ hasText: exactly(`admin 解决了事件单 #1 ${TITLE}`) }).waitFor();
    await text.filter({ hasText: exactly('admin 确认了事件单 #2 磁盘空间不足') }).waitFor();
  });

  it('reads in English too', async () => {
    await page.getByTestId('locale-switch').click();
    await page.getByTestId('locale-en').click();
    await page.getByTestId('locale-en').waitFor({ state: 'detached' });
    await page.goto(firstUrl);
    await page.getByTestId('incident-status').filter({ hasText: exactly('Resolved') }).waitFor();
    await page.getByTestId('incident-assignee').filter({ hasText: exactly('Assigned to admin') }).waitFor();
    await entry(page, 'acknowledged').getByText('Acknowledged', { exact: true }).waitFor();
    await page.getByTestId('tab-timeline').filter({ hasText: /^Timeline \(\d+\)$/ }).waitFor();
    await screenshot(page, 'en-incident-detail');
    await page.getByTestId('menu-incidents').filter({ hasText: exactly('Incidents') }).click();
    await row(page, 5).getByTestId('incident-sla').filter({ hasText: /Acknowledge\s*\d\d:\d\d left/ }).waitFor();
    await page.getByTestId('menu-events-timeline').click();
    await page.getByTestId('timeline-item-text').filter({ hasText: exactly(`admin resolved incident #1 ${TITLE}`) }).waitFor();
  });

  it('logged no errors', () => {
    expect(session.problems).toEqual([]);
  });
});
