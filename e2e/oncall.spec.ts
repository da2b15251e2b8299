import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@opsline/test-utils/wait';
import { apiChange } from './support/api';
import { openConsole, signInAsAdmin, type ConsoleSession } from './support/console';
import { screenshot } from './support/screenshots';
import type { RunningServer } from './support/server';
import { exactly } from './support/text';

const ZONE = 'Asia/Shanghai';
const SCHEDULE = '支付值班';
const POLICY = '支付升级';
const RULE = '支付核心告警';
const CATCH_ALL = '兜底规则';

const option = (page: Page, text: string | RegExp) => page.locator('.n-base-select-option').filter({ hasText: text, visible: true });
const fieldError = (item: Locator) => item.locator('.n-form-item-feedback--error');

/** `YYYY-MM-DD` `days` from today on the clock in ZONE (what the schedule's calendar calls that day). */
function shanghaiDate(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

describe('on-call in the console: schedules with a calendar and overrides, escalation, routing and notification rules', () => {
  let session: ConsoleSession;
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let scheduleUrl = '';
  let anaId = '';

  async function created<T>(path: string, body: unknown): Promise<T> {
    const res = await apiChange(context, 'POST', path, body);
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()) as T;
  }

  /** Types into a filterable select's input (by its test id) and picks the option found. */
  async function pick(scope: Page | Locator, inputTestId: string, query: string, text: string | RegExp): Promise<void> {
    await scope.getByTestId(inputTestId).click();
    await scope.getByTestId(inputTestId).fill(query);
    await option(page, text).first().click();
  }

  /** Types a date (and time) into a date picker wrapped in `testId`, then leaves it. */
  async function typeDate(scope: Page | Locator, testId: string, value: string): Promise<void> {
    const input = scope.getByTestId(testId).locator('input');
    await input.click();
    await input.fill(value);
    await page.keyboard.press('Enter');
    await page.locator('.n-date-panel').waitFor({ state: 'detached' });
  }

  const cell = (date: string, row = 'final') => page.locator(`[data-testid="calendar-cell"][data-row="${row}"][data-date="${date}"]`);
  const shift = (date: string, user: string, row = 'final') => cell(date, row).locator(`[data-testid="calendar-shift"][data-user="${user}"]`);

  beforeAll(async () => {
    session = await openConsole();
    ({ server, context, page } = session);
  });

  afterAll(async () => {
    if (process.env.OPSLINE_E2E_DEBUG) console.log(server?.output());
    await session?.close();
  });

  it('signs in, with two people to put on call and a channel to reach them', async () => {
    await signInAsAdmin(page, server);
    anaId = (await created<{ id: string }>('/api/v1/users', { username: 'ana', password: 'ana-pass-123', roles: ['operator'] })).id;
    await created('/api/v1/users', { username: 'bo', password: 'bo-pass-1234', roles: ['operator'] });
    await created('/api/v1/channels', { name: '值班邮件', type: 'email', config: { to: ['oncall@example.com'] } });
  });

  it('creates a weekly schedule of both in Shanghai time: a bad name is refused on its field', async () => {
    expect(await page.getByTestId('menu-oncall-schedules').textContent()).toBe('值班表');
    await page.getByTestId('menu-oncall-schedules').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('值班表') }).waitFor();
    await page.getByTestId('schedules-table').getByText('还没有值班表').waitFor();

    await page.getByTestId('schedule-create').click();
    const drawer = page.getByTestId('schedule-drawer');
    await drawer.getByTestId('schedule-form-submit').click();
    await fieldError(drawer.getByTestId('schedule-form-name-item')).filter({ hasText: '必填' }).waitFor();
    await fieldError(drawer.getByTestId('layer-0-participants-item')).filter({ hasText: '至少选一名值班人员' }).waitFor();

    await drawer.getByTestId('schedule-form-name').fill(SCHEDULE);
    await pick(drawer, 'schedule-form-zone', ZONE, exactly(ZONE));
    await drawer.getByTestId('layer-0-type-weekly').click();
    await pick(drawer, 'layer-0-user-0', 'ana', exactly('ana'));
    await drawer.getByTestId('layer-0-add-user').click();
    await pick(drawer, 'layer-0-user-1', 'bo', exactly('bo'));
    // The first handoff five days ago at 09:00: ana holds the week until 09:00 the day after tomorrow.
    await typeDate(drawer, 'layer-0-start', shanghaiDate(-5));
    await fieldError(drawer.getByTestId('layer-0-participants-item')).waitFor({ state: 'detached' });
    await screenshot(page, 'zh-oncall-schedule-form');
    await drawer.getByTestId('schedule-form-submit').click();
    await page.getByText(`已创建值班表 ${SCHEDULE}`).waitFor();
    await page.waitForURL(/\/oncall\/schedules\/[0-9a-f-]{36}$/);
    scheduleUrl = new URL(page.url()).pathname;
  });

  it('shows ana on call now and the handoff to bo on the right day of the calendar', async () => {
    await page.getByTestId('page-title').filter({ hasText: exactly(SCHEDULE) }).waitFor();
    await page.getByTestId('schedule-oncall-now-user').filter({ hasText: exactly('ana') }).waitFor();
    await page.getByTestId('calendar-zone').filter({ hasText: `${ZONE} (UTC+08:00)` }).waitFor();
    await page.getByTestId('calendar-period-twoWeeks').click();

    const today = shanghaiDate(0);
    const handoffDay = shanghaiDate(2);
    await page.locator(`[data-testid="calendar-day"][data-date="${today}"]`).getByText('今天').waitFor();
    await shift(today, 'ana').waitFor();
    expect(await cell(today).getAttribute('data-today')).toBe('true');
    await cell(today).getByTestId('calendar-now').waitFor();
    // The day before the handoff is ana's all day; on the day, ana until 09:00 and bo from 09:00.
    await shift(shanghaiDate(1), 'ana').waitFor();
    expect(await cell(shanghaiDate(1)).getByTestId('calendar-shift').count()).toBe(1);
    await shift(handoffDay, 'ana').getByTestId('calendar-shift-time').filter({ hasText: exactly('–09:00') }).waitFor();
    await shift(handoffDay, 'bo').getByTestId('calendar-shift-time').filter({ hasText: exactly('09:00–') }).waitFor();
    await cell(handoffDay).locator('[data-testid="calendar-handoff"][data-at="09:00"][data-from="ana"][data-to="bo"]').filter({ hasText: '09:00 → bo' }).waitFor();
    expect(await cell(shanghaiDate(1)).getByTestId('calendar-handoff').count()).toBe(0);
    expect(await cell(shanghaiDate(3)).getByTestId('calendar-handoff').count()).toBe(0);
    // The layer's own row shows the same stretches.
    await shift(handoffDay, 'bo', 'layer-0').waitFor();
    await page.getByTestId('oncall-at-user').filter({ has: page.getByTestId('oncall-at-username').filter({ hasText: exactly('ana') }) }).getByText('第 1 层').waitFor();
    await screenshot(page, 'zh-oncall-schedule');

    await page.getByTestId('schedule-back').click();
    await page.getByTestId('schedules-table').getByTestId('schedule-row-oncall').getByText('ana').waitFor();
    await screenshot(page, 'zh-oncall-schedules');
    await page.getByTestId('schedules-table').getByTestId('schedule-row-name').filter({ hasText: exactly(SCHEDULE) }).click();
    await page.getByTestId('page-title').filter({ hasText: exactly(SCHEDULE) }).waitFor();
  });

  it('adds an override for bo tomorrow 10:00–14:00, seen on the calendar and in "who is on call at"', async () => {
    const tomorrow = shanghaiDate(1);
    await page.getByTestId('override-create').click();
    const modal = page.getByTestId('override-modal');
    await pick(modal, 'override-user', 'bo', exactly('bo'));
    await typeDate(modal, 'override-start', `${tomorrow} 10:00`);
    await typeDate(modal, 'override-end', `${tomorrow} 09:00`);
    await modal.getByTestId('override-submit').click();
    await fieldError(modal.getByTestId('override-end-item')).filter({ hasText: '结束时间必须晚于开始时间' }).waitFor();
    await typeDate(modal, 'override-end', `${tomorrow} 14:00`);
    await modal.getByTestId('override-submit').click();
    await page.getByText('已安排 bo 临时替班').waitFor();
    await modal.waitFor({ state: 'detached' });

    await shift(tomorrow, 'bo').getByTestId('calendar-shift-time').filter({ hasText: exactly('10:00–14:00') }).waitFor();
    expect(await shift(tomorrow, 'bo').getAttribute('data-override')).toBe('true');
    await shift(tomorrow, 'bo', 'override').waitFor();
    expect(await cell(tomorrow).getByTestId('calendar-shift').count()).toBe(3);
    await page.getByTestId('overrides').locator('[data-testid="override-row"][data-user="bo"]').waitFor();

    await typeDate(page, 'oncall-at-time', `${tomorrow} 12:00`);
    await page.getByTestId('oncall-at-asked').filter({ hasText: '12:00' }).waitFor();
    const who = page.locator('[data-testid="oncall-at-user"][data-user="bo"]');
    await who.getByTestId('oncall-at-source').filter({ hasText: exactly('临时替班') }).waitFor();
    expect(await page.getByTestId('oncall-at-user').count()).toBe(1);
    await screenshot(page, 'zh-oncall-override');
    await typeDate(page, 'oncall-at-time', `${tomorrow} 15:00`);
    await page.locator('[data-testid="oncall-at-user"][data-user="ana"]').getByTestId('oncall-at-source').filter({ hasText: exactly('第 1 层') }).waitFor();
  });

  it('creates an escalation policy with two levels; a target deleted meanwhile is refused on its level', async () => {
    const doomed = await created<{ id: string }>('/api/v1/schedules/oncall', {
      name: '临时值班表',
      timeZone: ZONE,
      layers: [{ userIds: [anaId], rotation: { type: 'daily', handoffTime: '09:00', startDate: shanghaiDate(0) } }],
    });
    await page.getByTestId('menu-oncall-escalation-policies').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('升级策略') }).waitFor();
    await page.getByTestId('policy-create').click();
    const drawer = page.getByTestId('policy-drawer');
    await drawer.getByTestId('policy-form-name').fill(POLICY);
    await pick(drawer, 'level-0-target-0', SCHEDULE, exactly(SCHEDULE));
    await drawer.getByTestId('level-0-delay').fill('5');
    await drawer.getByTestId('policy-add-level').click();
    await pick(drawer, 'level-1-target-0', '临时', exactly('临时值班表'));
    await drawer.getByTestId('level-1-delay').fill('15');

    const gone = await apiChange(context, 'DELETE', `/api/v1/schedules/oncall/${doomed.id}`);
    expect(gone.status()).toBe(200);
    await drawer.getByTestId('policy-form-submit').click();
    await fieldError(drawer.getByTestId('level-1-targets-item')).filter({ hasText: '值班表不存在' }).waitFor();
    await screenshot(page, 'zh-oncall-policy-error');

    await drawer.getByTestId('level-1-target-type-0').click();
    await option(page, exactly('用户')).click();
    await pick(drawer, 'level-1-target-0', 'bo', exactly('bo'));
    await fieldError(drawer.getByTestId('level-1-targets-item')).waitFor({ state: 'detached' });
    await drawer.getByTestId('policy-form-submit').click();
    await page.getByText(`已创建升级策略 ${POLICY}`).waitFor();
    await drawer.waitFor({ state: 'detached' });

    const row = page.getByTestId('policies-table').locator('tr', { has: page.getByTestId('policy-row-name').filter({ hasText: exactly(POLICY) }) });
    await row.getByTestId('policy-row-level').nth(0).getByText(`值班表 ${SCHEDULE}`).waitFor();
    await row.getByTestId('policy-row-level').nth(1).getByText('用户 bo').waitFor();
    await row.getByTestId('policy-row-used-by').filter({ hasText: '没有路由规则使用' }).waitFor();
    await screenshot(page, 'zh-oncall-policies');
  });

  it('adds a routing rule for P0–P1 alerts of service=pay, reorders the rules, and tests an alert against them', async () => {
    await page.getByTestId('menu-oncall-routing-rules').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('路由规则') }).waitFor();
    await page.getByTestId('rule-create').click();
    const drawer = page.getByTestId('rule-drawer');
    await drawer.getByTestId('rule-form-submit').click();
    await fieldError(drawer.getByTestId('rule-form-policy-item')).filter({ hasText: '必填' }).waitFor();
    await drawer.getByTestId('rule-form-name').fill(RULE);
    await pick(drawer, 'rule-form-policy', POLICY, exactly(POLICY));
    await drawer.getByTestId('rule-severity-P0').click();
    await drawer.getByTestId('rule-severity-P1').click();
    await drawer.getByText('添加匹配条件').click();
    await drawer.getByTestId('grouping-rule-matcher-name-0').fill('service');
    await drawer.getByTestId('grouping-rule-matcher-value-0').fill('pay');
    await screenshot(page, 'zh-oncall-rule-form');
    await drawer.getByTestId('rule-form-submit').click();
    await page.getByText(`已创建路由规则 ${RULE}`).waitFor();
    await drawer.waitFor({ state: 'detached' });

    const policy = (await (await context.request.get('/api/v1/escalation-policies')).json()) as { items: { id: string; name: string }[] };
    const policyId = policy.items.find((p) => p.name === POLICY)?.id;
    await created('/api/v1/routing-rules', { name: CATCH_ALL, escalationPolicyId: policyId });
    await page.reload();
    const names = page.getByTestId('rules-table').getByTestId('rule-row-name');
    await names.filter({ hasText: exactly(CATCH_ALL) }).waitFor();
    expect(await names.allInnerTexts()).toEqual([RULE, CATCH_ALL]);
    const rowOf = (name: string) => page.getByTestId('rules-table').locator('tr', { has: page.getByTestId('rule-row-name').filter({ hasText: exactly(name) }) });
    const first = rowOf(RULE);
    await first.getByTestId('rule-row-match').getByText('P0, P1').waitFor();
    await first.getByTestId('rule-row-match').getByText('service="pay"').waitFor();
    await first.getByTestId('rule-row-policy').filter({ hasText: exactly(POLICY) }).waitFor();

    // The catch-all first: it stops matching before the payments rule.
    await rowOf(CATCH_ALL).getByTestId('rule-move-up').click();
    await page.getByText('已保存新的顺序').waitFor();
    await waitForOrder(page, [CATCH_ALL, RULE]);

    const panel = page.getByTestId('routing-test');
    await panel.getByTestId('routing-test-severity-P1').click();
    await panel.getByTestId('routing-test-label-value-0').fill('pay');
    await panel.getByTestId('routing-test-run').click();
    await panel.locator(`[data-testid="routing-test-matched"][data-name="${CATCH_ALL}"]`).waitFor();
    await panel.locator(`[data-testid="routing-test-check"][data-name="${RULE}"]`).getByTestId('routing-test-reason').filter({ hasText: `在 ${CATCH_ALL} 处已停止匹配` }).waitFor();

    // Back in order: the payments rule routes it, and says why a P3 would not.
    // Dragged back on top.
    await rowOf(RULE).dragTo(rowOf(CATCH_ALL));
    await waitForOrder(page, [RULE, CATCH_ALL]);
    await panel.getByTestId('routing-test-run').click();
    await panel.locator(`[data-testid="routing-test-matched"][data-name="${RULE}"]`).filter({ hasText: `${RULE} → ${POLICY}` }).waitFor();
    expect(await panel.getByTestId('routing-test-matched').count()).toBe(1);
    await screenshot(page, 'zh-oncall-routing');
    await panel.getByTestId('routing-test-severity-P3').click();
    await panel.getByTestId('routing-test-run').click();
    await panel.locator(`[data-testid="routing-test-check"][data-name="${RULE}"]`).getByTestId('routing-test-reason').filter({ hasText: '告警级别 P3 不在 P0, P1 之中' }).waitFor();
    await panel.locator(`[data-testid="routing-test-matched"][data-name="${CATCH_ALL}"]`).waitFor();
  });

  it('refuses to delete a policy routing rules use, naming them', async () => {
    await page.getByTestId('menu-oncall-escalation-policies').click();
    const row = page.getByTestId('policies-table').locator('tr', { has: page.getByTestId('policy-row-name').filter({ hasText: exactly(POLICY) }) });
    await row.getByTestId('policy-row-used-by').getByText(RULE).waitFor();
    await row.getByTestId('policy-more').click();
    await page.getByTestId('policy-delete').click();
    await page.getByTestId('confirm-ok').click();
    await page.locator('.n-message').filter({ hasText: '有路由规则在使用这个升级策略' }).filter({ hasText: RULE }).waitFor();
    await row.waitFor();
  });

  it('sets my notification rules from the profile, kept after a reload', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('user-menu-profile').click();
    await page.getByTestId('profile-notification-rules').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('我的通知规则') }).waitFor();
    await page.getByTestId('notification-rules-empty').waitFor();
    await page.getByTestId('notification-add-rule').click();
    const rule = page.getByTestId('notification-rule-0');
    expect(await rule.getByTestId('notification-rule-0-severity-P0').getAttribute('aria-checked')).toBe('true');
    await page.getByTestId('notification-phone').fill('手机');
    await page.getByTestId('notification-save').click();
    await fieldError(page.getByTestId('notification-phone-item')).filter({ hasText: '只能包含数字' }).waitFor();
    await fieldError(rule.getByTestId('notification-rule-0-channels-item')).waitFor();
    await page.getByTestId('notification-phone').fill('+86 138 0013 8000');
    await rule.getByTestId('notification-rule-0-channels-item').locator('.n-base-selection').click();
    await page.keyboard.type('值班');
    await option(page, /值班邮件/).click();
    await screenshot(page, 'zh-oncall-notification-rules');
    await page.getByTestId('notification-save').click();
    await page.getByText('已保存通知规则').waitFor();

    await page.reload();
    await page.getByTestId('notification-rule-0').getByText('值班邮件').waitFor();
    expect(await page.getByTestId('notification-phone').inputValue()).toBe('+86 138 0013 8000');
  });

  it('reads in English too', async () => {
    await page.getByTestId('locale-switch').click();
    await page.getByTestId('locale-en').click();
    await page.getByTestId('locale-en').waitFor({ state: 'detached' });
    await page.goto(scheduleUrl);
    await page.getByTestId('schedule-oncall-now').getByText('On call now').waitFor();
    await page.getByTestId('calendar-zone').filter({ hasText: `Times in ${ZONE}` }).waitFor();
    await page.getByTestId('calendar-period-twoWeeks').click();
    expect(await cell(shanghaiDate(2)).getByTestId('calendar-handoff').getAttribute('title')).toBe('09:00: ana hands over to bo');
    await page.locator('[data-testid="calendar-day"]').getByText('today').waitFor();
    await screenshot(page, 'en-oncall-schedule');
    // A month from its first day's week; a step on shows the next month, Today comes back.
    await page.getByTestId('calendar-period-month').click();
    const firstOfMonth = `${shanghaiDate(0).slice(0, 8)}01`;
    await page.locator(`[data-testid="calendar-day"][data-date="${firstOfMonth}"]`).waitFor();
    await page.getByTestId('calendar-next').click();
    await page.locator(`[data-testid="calendar-day"][data-date="${firstOfMonth}"]`).waitFor({ state: 'detached' });
    await page.getByTestId('calendar-today').click();
    await cell(shanghaiDate(0)).getByTestId('calendar-now').waitFor();
    await page.getByTestId('menu-oncall-routing-rules').filter({ hasText: exactly('Routing rules') }).click();
    await page.getByTestId('routing-test').getByText('Test an alert').waitFor();
    await page.getByTestId('menu-oncall-escalation-policies').filter({ hasText: exactly('Escalation policies') }).click();
    await page.getByTestId('policies-table').getByTestId('policy-row-used-by').getByText(RULE).waitFor();
  });

  it('logged no errors', () => {
    expect(session.problems).toEqual([]);
  });
});

/** Waits until the routing rules table lists the rules in this order. */
async function waitForOrder(page: Page, names: string[]): Promise<void> {
  const shown = page.getByTestId('rules-table').getByTestId('rule-row-name');
  await waitFor(async () => (JSON.stringify(await shown.allInnerTexts()) === JSON.stringify(names) ? true : undefined), { what: `the rules in the order ${names.join(', ')}`, timeoutMs: 15_000 });
}
