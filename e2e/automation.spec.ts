import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@opsline/test-utils/wait';
import { startAgent, type RunningAgent } from './support/agent';
import { apiChange } from './support/api';
import { openConsole, signInAsAdmin, type ConsoleSession } from './support/console';
import { screenshot } from './support/screenshots';
import type { RunningServer } from './support/server';
import { exactly } from './support/text';

const AGENT_HOSTNAME = 'e2e-auto-01';
const WORKFLOW = 'e2e 发布流程';

const option = (page: Page, text: string | RegExp) => page.locator('.n-base-select-option').filter({ hasText: text, visible: true });
const step = (page: Page, index: number) => page.locator(`[data-testid="workflow-step"][data-index="${index}"]`);
const runStep = (page: Page, key: string) => page.locator(`[data-testid="workflow-run-step"][data-key="${key}"]`);
const dagNode = (page: Page, key: string) => page.locator(`[data-testid="dag-node"][data-key="${key}"]`);
const fires = (page: Page) => page.getByTestId('schedule-preview-fire');

describe('automation in the console: workflows, schedules, the dashboard and plugins', () => {
  let session: ConsoleSession;
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let agent: RunningAgent | undefined;
  let runUrl = '';
  let workflowId = '';

  /** Picks an option of a select (by its test id) by the option's text. */
  async function choose(testId: string, text: string | RegExp): Promise<void> {
    await page.getByTestId(testId).click();
    await option(page, text).first().click();
  }

  /**
   * Types into a searchable select's input (by its test id) and picks the option found. A multiple
   * select (`multiple`) and a tag select (`root`) show their input once the select (`<id>-select`)
   * is clicked; a multiple one stays open until Escape.
   */
  async function search(inputTestId: string, query: string, text: string | RegExp, opts: { root?: boolean; multiple?: boolean } = {}): Promise<void> {
    await page.getByTestId(opts.root || opts.multiple ? `${inputTestId}-select` : inputTestId).click();
    await page.getByTestId(inputTestId).fill(query);
    await option(page, text).first().click();
    if (opts.multiple) await page.keyboard.press('Escape');
  }

  /** What the server says of a workflow run, its steps' job runs and their hosts, and what the agent logged: for a failure's message. */
  async function explainRun(runId: string): Promise<string> {
    const get = async (path: string) => (await context.request.get(path)).text();
    const run = await get(`/api/v1/workflow-runs/${runId}`);
    const jobRunIds = [...run.matchAll(/"jobRunId":"([0-9a-f-]{36})"/g)].map((m) => m[1]);
    const jobs = await Promise.all(jobRunIds.map(async (id) => `job run ${id}: ${await get(`/api/v1/job-runs/${id}`)}\nhosts: ${await get(`/api/v1/job-runs/${id}/hosts`)}`));
    return [`workflow run: ${run}`, ...jobs, `page: ${page.url()}`, `--- agent output ---\n${agent?.output() ?? ''}`, `--- server output (tail) ---\n${server.output().slice(-4000)}`].join('\n');
  }

  beforeAll(async () => {
    session = await openConsole();
    ({ server, context, page } = session);
  });

  afterAll(async () => {
    if (process.env.OPSLINE_E2E_DEBUG) console.log(server?.output());
    await agent?.stop();
    await session?.close();
  });

  it('signs in and enrolls an agent for the script step to run on', async () => {
    await signInAsAdmin(page, server);
    const made = await apiChange(context, 'POST', '/api/v1/agents/enrollment-tokens', { name: 'e2e-auto', expiresInSec: 3600, maxUses: 1 });
    expect(made.status(), await made.text()).toBe(201);
    const { token } = (await made.json()) as { token: string };
    agent = startAgent({ grpcPort: server.grpcPort, token, hostname: AGENT_HOSTNAME });
    await waitFor(
      async () => {
        const res = await context.request.get(`/api/v1/agents?q=${AGENT_HOSTNAME}`);
        return ((await res.json()) as { items: { hostname: string; status: string }[] }).items.some((a) => a.hostname === AGENT_HOSTNAME && a.status === 'online') || undefined;
      },
      { what: 'the agent to be online', timeoutMs: 40_000 },
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\n--- agent output ---\n${agent?.output() ?? ''}`);
    });
  });

  it('builds a workflow in the editor, with the server\'s problems on the step and field they are about', async () => {
    expect(await page.getByTestId('menu-automation-workflows').textContent()).toBe('流程管理');
    await page.getByTestId('menu-automation-workflows').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('流程管理') }).waitFor();
    await page.getByTestId('workflows-table').getByText('还没有流程').waitFor();
    await page.getByTestId('workflow-create').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('新建流程') }).waitFor();

    await page.getByTestId('workflow-name').fill(WORKFLOW);
    await page.getByTestId('step-0-key').fill('build');
    await page.getByTestId('step-0-name').fill('构建');
    await choose('step-0-type', exactly('内联脚本'));
    // The script type's form: language, content, targets (hosts and nodes).
    await page.getByTestId('step-0-param-content').waitFor();
    await page.getByTestId('step-0-param-targets-hostIds-select').waitFor();

    await page.getByTestId('workflow-add-step').click();
    await page.getByTestId('step-1-key').fill('approve');
    await page.getByTestId('step-1-name').fill('上线审批');
    await choose('step-1-type', exactly('人工审批'));
    await search('step-1-param-approvers', 'admin', /admin/, { multiple: true });
    await page.getByTestId('step-1-param-message').fill('构建完成，确认上线？');
    // A new step needs the one before it: the picture draws the arrow.
    // (An arrow straight down has no width: it counts as hidden, so wait for it to be there.)
    await page.locator('[data-testid="dag-edge"][data-from="build"][data-to="approve"]').waitFor({ state: 'attached' });

    // The script step has no language, content or hosts yet: the server says so on those fields.
    await page.getByTestId('workflow-save').click();
    await page.getByTestId('workflow-form-error').filter({ hasText: '部分字段需要修改' }).waitFor();
    await step(page, 0).getByTestId('step-0-param-content-item').locator('.n-form-item-feedback--error').waitFor();
    await step(page, 0).getByTestId('step-0-param-language-item').locator('.n-form-item-feedback--error').waitFor();
    expect(await step(page, 1).locator('.n-form-item-feedback--error').count()).toBe(0);
    await screenshot(page, 'zh-workflow-editor-errors');

    await choose('step-0-param-language', exactly('bash'));
    await page.getByTestId('step-0-param-content').fill('echo "built on $(hostname)"');
    await search('step-0-param-targets-hostIds', 'e2e-auto', new RegExp(AGENT_HOSTNAME), { multiple: true });
    // Each error goes once its field is edited.
    expect(await step(page, 0).getByTestId('step-0-param-content-item').locator('.n-form-item-feedback--error').count()).toBe(0);

    // Making the first step need the second is a cycle: the server names it on the steps.
    await choose('step-0-needs', /^approve/);
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="dag-edge"][data-from="approve"][data-to="build"]').waitFor({ state: 'attached' });
    await page.getByTestId('workflow-save').click();
    await page.getByTestId('workflow-steps-problem').filter({ hasText: 'cycle' }).waitFor();
    await page.getByTestId('step-0-needs').locator('.n-base-clear').click({ force: true });
    await page.getByTestId('workflow-steps-problem').waitFor({ state: 'detached' });

    await page.getByTestId('workflow-save').click();
    await page.getByText(`已创建流程 ${WORKFLOW}`).waitFor();
    await page.waitForURL(/\/automation\/workflows\/[0-9a-f-]{36}$/);
    workflowId = new URL(page.url()).pathname.split('/').pop() ?? '';
    await page.getByTestId('page-title').filter({ hasText: exactly(WORKFLOW) }).waitFor();
    expect(await page.getByTestId('dag-node').count()).toBe(2);
    expect(await page.getByTestId('dag-edge').count()).toBe(1);
    // The script's targets group and the approval step below it.
    await step(page, 1).scrollIntoViewIfNeeded();
    await screenshot(page, 'zh-workflow-editor');
  });

  it('runs it: the script runs on the agent, the approval waits, and a named approver approves with a comment', async () => {
    await page.getByTestId('workflow-run').click();
    await page.waitForURL(/\/automation\/workflow-runs\/[0-9a-f-]{36}$/);
    runUrl = new URL(page.url()).pathname;
    await runStep(page, 'build').getByTestId('step-status').filter({ hasText: exactly('成功') }).waitFor({ timeout: 40_000 }).catch(async (err: unknown) => {
      throw new Error(`${String(err)}\n${await explainRun(runUrl.split('/').pop() ?? '')}`);
    });
    await runStep(page, 'approve').getByTestId('step-status').filter({ hasText: exactly('待审批') }).waitFor();
    await page.locator('[data-testid="workflow-run-status"][data-status="waiting"]').waitFor();
    await dagNode(page, 'build').and(page.locator('[data-state="success"]')).waitFor();
    await dagNode(page, 'approve').and(page.locator('[data-state="waiting"]')).waitFor();
    // The script step ran as a job run, linked from the step.
    expect(await runStep(page, 'build').getByTestId('step-job-run-link').getAttribute('href')).toMatch(/^\/jobs\/runs\/[0-9a-f-]{36}$/);
    await runStep(page, 'approve').getByText('审批人：admin').waitFor();
    await runStep(page, 'approve').getByText('构建完成，确认上线？').waitFor();
    await screenshot(page, 'zh-workflow-run-waiting');

    await page.getByTestId('approval-comment').fill('看过构建输出，可以上线');
    await page.getByTestId('approval-approve').click();
    await page.locator('[data-testid="workflow-run-status"][data-status="success"]').waitFor({ timeout: 20_000 });
    await runStep(page, 'approve').getByTestId('step-decision').filter({ hasText: 'admin 已批准' }).waitFor();
    await runStep(page, 'approve').getByTestId('step-decision-comment').filter({ hasText: exactly('看过构建输出，可以上线') }).waitFor();
    await dagNode(page, 'approve').and(page.locator('[data-state="success"]')).waitFor();
    await screenshot(page, 'zh-workflow-run-done');

    // The runs list, filtered by status on the server.
    await page.getByTestId('menu-automation-workflow-runs').click();
    const row = page.getByTestId('workflow-runs-table').locator('tr', { has: page.getByTestId('workflow-run-row-name').filter({ hasText: exactly(WORKFLOW) }) });
    await row.getByTestId('workflow-run-status').filter({ hasText: exactly('成功') }).waitFor();
    await page.getByTestId('workflow-runs-status-filter').click();
    const asked = page.waitForRequest((req) => new URL(req.url()).pathname === '/api/v1/workflow-runs' && new URL(req.url()).searchParams.get('status') === 'failed');
    await option(page, exactly('失败')).click();
    await asked;
    await page.getByTestId('workflow-runs-table').getByText('没有符合筛选条件的记录').waitFor();
    await screenshot(page, 'zh-workflow-runs');
  });

  it('creates a schedule: the next five fires follow the pattern, and a bad pattern is refused on its field', async () => {
    await page.getByTestId('menu-automation-schedules').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('定时任务') }).waitFor();
    await page.getByTestId('schedule-create').click();
    await page.getByTestId('schedule-form-name').fill('夜间发布');
    await page.getByTestId('schedule-form-target-workflow').click();
    await search('schedule-form-workflow', 'e2e', exactly(WORKFLOW));

    await search('schedule-form-timezone', 'Asia/Shanghai', exactly('Asia/Shanghai'), { root: true });
    await page.getByTestId('schedule-preset-daily0200').click();
    await waitFor(async () => ((await fires(page).allInnerTexts()).filter((f) => f.includes('02:00:00')).length === 5 ? true : undefined), {
      what: 'five fires at 02:00',
      timeoutMs: 10_000,
    });
    const daily = await fires(page).first().getAttribute('data-at');

    await page.getByTestId('schedule-form-cron').fill('0 */15 * * * *');
    await waitFor(async () => ((await fires(page).first().getAttribute('data-at')) !== daily ? true : undefined), { what: 'the fires to change', timeoutMs: 10_000 });
    const quarter = await fires(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-at') ?? ''));
    expect(quarter).toHaveLength(5);
    for (const at of quarter) expect(new Date(at).getUTCMinutes() % 15).toBe(0);
    expect(Date.parse(quarter[1] ?? '') - Date.parse(quarter[0] ?? '')).toBe(15 * 60_000);

    await page.getByTestId('schedule-form-cron').fill('61 * * * * *');
    await page.getByTestId('schedule-drawer').locator('.n-form-item-feedback--error').filter({ hasText: 'Invalid value for second: 61' }).waitFor();
    expect(await fires(page).count()).toBe(0);
    await screenshot(page, 'zh-schedule-form-error');

    await page.getByTestId('schedule-preset-weekdays0930').click();
    await waitFor(async () => ((await fires(page).allInnerTexts()).filter((f) => f.includes('09:30:00')).length === 5 ? true : undefined), {
      what: 'five fires at 09:30',
      timeoutMs: 10_000,
    });
    await screenshot(page, 'zh-schedule-form');
    await page.getByTestId('schedule-form-submit').click();
    await page.getByTestId('schedule-drawer').waitFor({ state: 'detached' });

    const row = page.getByTestId('schedules-table').locator('tr', { has: page.getByTestId('schedule-row-name').filter({ hasText: exactly('夜间发布') }) });
    await row.getByTestId('schedule-row-cron').filter({ hasText: exactly('0 30 9 * * 1-5') }).waitFor();
    await row.getByTestId('schedule-row-target').filter({ hasText: exactly(WORKFLOW) }).waitFor();
    await screenshot(page, 'zh-schedules');
    // Off: it has no next fire.
    await row.getByTestId('schedule-row-enabled').click();
    await page.getByText('已停用定时任务 夜间发布').waitFor();
    await row.getByTestId('schedule-row-next').filter({ hasText: '已停用' }).waitFor();

    await row.getByTestId('schedule-row-name').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('夜间发布') }).waitFor();
    await page.getByTestId('schedule-detail-cron').filter({ hasText: exactly('0 30 9 * * 1-5') }).waitFor();
    await page.getByTestId('schedule-fires-table').getByText('还没有触发过').waitFor();
  });

  it('shows what each fire did, with a link to the run it started', async () => {
    // Every 2 s: the first fire starts a run, which then waits for its approval, so the next ones are skipped.
    const made = await apiChange(context, 'POST', '/api/v1/schedules', { name: '每两秒', workflowId, cron: '*/2 * * * * *', timezone: 'UTC' });
    expect(made.status(), await made.text()).toBe(201);
    const { id } = (await made.json()) as { id: string };
    await waitFor(
      async () => {
        const res = await context.request.get(`/api/v1/schedules/${id}/fires`);
        const outcomes = ((await res.json()) as { items: { outcome: string }[] }).items.map((f) => f.outcome);
        return outcomes.includes('started') && outcomes.includes('skipped_overlap') ? true : undefined;
      },
      { what: 'a started fire and a skipped one', timeoutMs: 30_000 },
    );
    expect((await apiChange(context, 'PATCH', `/api/v1/schedules/${id}`, { enabled: false })).status()).toBe(200);

    await page.goto(`/automation/schedules/${id}`);
    const table = page.getByTestId('schedule-fires-table');
    await table.getByTestId('fire-outcome').filter({ hasText: exactly('已跳过（重叠）') }).first().waitFor();
    const started = table.locator('tr', { has: page.getByTestId('fire-outcome').filter({ hasText: exactly('已发起') }) });
    expect(await started.getByTestId('fire-run-link').getAttribute('href')).toMatch(/^\/automation\/workflow-runs\/[0-9a-f-]{36}$/);
    await screenshot(page, 'zh-schedule-detail');
    await started.getByTestId('fire-run-link').click();
    await runStep(page, 'approve').getByTestId('step-status').filter({ hasText: exactly('待审批') }).waitFor({ timeout: 40_000 });
    // This one is turned down: the run stops, saying who and why.
    await page.getByTestId('approval-comment').fill('今晚不发布');
    await page.getByTestId('approval-reject').click();
    await page.locator('[data-testid="workflow-run-status"][data-status="rejected"]').filter({ hasText: '已驳回' }).waitFor();
    await runStep(page, 'approve').getByTestId('step-decision').filter({ hasText: 'admin 已驳回' }).waitFor();
    await runStep(page, 'approve').getByTestId('step-decision-comment').filter({ hasText: exactly('今晚不发布') }).waitFor();
    expect(await page.getByTestId('workflow-run-resume').count()).toBe(0);
  });

  it('resumes a failed run from its failed step', async () => {
    const hosts = await context.request.get(`/api/v1/hosts?q=${AGENT_HOSTNAME}`);
    const hostId = ((await hosts.json()) as { items: { id: string }[] }).items[0]?.id;
    const made = await apiChange(context, 'POST', '/api/v1/workflows', {
      name: 'e2e 失败流程',
      steps: [
        { key: 'check', name: '检查', type: 'script', params: { language: 'bash', content: 'echo checking; exit 3', targets: { hostIds: [hostId] } } },
        { key: 'notify', name: '通知', type: 'wait', params: { seconds: 1 }, needs: ['check'] },
      ],
    });
    expect(made.status(), await made.text()).toBe(201);
    const started = await apiChange(context, 'POST', '/api/v1/workflow-runs', { workflowId: ((await made.json()) as { id: string }).id });
    await page.goto(`/automation/workflow-runs/${((await started.json()) as { id: string }).id}`);
    await page.locator('[data-testid="workflow-run-status"][data-status="failed"]').waitFor({ timeout: 40_000 });
    await runStep(page, 'check').getByTestId('step-error').filter({ hasText: 'job run failed' }).waitFor();
    await runStep(page, 'notify').getByTestId('step-status').filter({ hasText: exactly('已跳过') }).waitFor();
    await dagNode(page, 'check').and(page.locator('[data-state="failed"]')).waitFor();
    await screenshot(page, 'zh-workflow-run-failed');

    await page.getByTestId('workflow-run-resume').click();
    await page.getByTestId('confirm-ok').click();
    // It runs the failed step again (its second attempt), and fails the same way.
    await runStep(page, 'check').getByText('第 2 次尝试').waitFor({ timeout: 40_000 });
    await page.locator('[data-testid="workflow-run-status"][data-status="failed"]').waitFor({ timeout: 40_000 });
  });

  it('shows the dashboard and the plugins', async () => {
    await page.getByTestId('menu-automation-dashboard').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('仪表盘') }).waitFor();
    // The workflows' script steps were job runs today, on the one agent online.
    await page.getByTestId('dashboard-today-runs').filter({ hasText: /^[1-9]\d*$/ }).waitFor();
    await page.getByTestId('dashboard-agents-online').filter({ hasText: '在线 1' }).waitFor();
    expect(await page.getByTestId('dashboard-day').count()).toBe(7);
    // One script step failed twice (the resumed run above), so fewer than all runs succeeded.
    await page.getByTestId('dashboard-rate-value').filter({ hasText: /^\d{1,2}(\.\d)?%$/ }).waitFor();
    await page.getByTestId('dashboard-slowest-row').filter({ hasText: AGENT_HOSTNAME }).waitFor();
    await screenshot(page, 'zh-dashboard');

    await page.getByTestId('menu-automation-plugins').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('插件管理') }).waitFor();
    // The title shows before the step types arrive: wait for them, then count.
    await page.getByTestId('plugin').nth(5).waitFor();
    expect(await page.getByTestId('plugin').count()).toBe(6);
    const script = page.locator('[data-testid="plugin"][data-type="script"]');
    await script.getByTestId('plugin-title').filter({ hasText: exactly('内联脚本') }).waitFor();
    await script.locator('[data-testid="plugin-param"][data-name="content"]').getByText('必填').waitFor();
    await script.locator('[data-testid="plugin-param"][data-name="targets.hostIds"]').waitFor();
    await page.locator('[data-testid="plugin"][data-type="http"] [data-testid="plugin-param"][data-name="timeoutSec"]').getByText(exactly('30')).waitFor();
    await screenshot(page, 'zh-plugins');
  });

  it('tells the timeline what happened in sentences', async () => {
    await page.getByTestId('menu-events-timeline').click();
    const text = page.getByTestId('timeline-item-text');
    await text.filter({ hasText: exactly(`admin 创建了流程 ${WORKFLOW}`) }).waitFor();
    await text.filter({ hasText: exactly(`admin 启动了流程 ${WORKFLOW}`) }).waitFor();
    await text.filter({ hasText: exactly(`admin 批准了流程 ${WORKFLOW} 的步骤 approve`) }).waitFor();
    await text.filter({ hasText: exactly(`流程 ${WORKFLOW} 执行成功`) }).waitFor();
    await text.filter({ hasText: exactly(`admin 驳回了流程 ${WORKFLOW} 的步骤 approve`) }).waitFor();
    await text.filter({ hasText: exactly('admin 从 check 继续执行了流程 e2e 失败流程') }).waitFor();
    await text.filter({ hasText: exactly('admin 创建了定时任务 夜间发布') }).waitFor();
    await text.filter({ hasText: exactly('admin 修改了定时任务 夜间发布：启用状态') }).waitFor();
    await text.filter({ hasText: exactly('定时任务 每两秒 已触发，发起了一次执行') }).waitFor();
    await text.filter({ hasText: exactly('定时任务 每两秒 跳过了一次触发：上一次执行还没结束') }).first().waitFor();
    // The script step's job run, started on the run's behalf.
    await text.filter({ hasText: /在 1 台主机上执行了作业 build \(workflow\)$/ }).first().waitFor();
    await screenshot(page, 'zh-automation-timeline');
  });

  it('reads in English too', async () => {
    await page.getByTestId('locale-switch').click();
    await page.getByTestId('locale-en').click();
    await page.getByTestId('locale-en').waitFor({ state: 'detached' });

    await page.goto(runUrl);
    await page.locator('[data-testid="workflow-run-status"][data-status="success"]').filter({ hasText: 'Succeeded' }).waitFor();
    await runStep(page, 'approve').getByTestId('step-decision').filter({ hasText: 'Approved by admin' }).waitFor();
    await screenshot(page, 'en-workflow-run-done');

    await page.getByTestId('workflow-run-workflow').click();
    await page.getByTestId('page-title').filter({ hasText: exactly(WORKFLOW) }).waitFor();
    await step(page, 0).getByText('Runs a script written in the step').waitFor();
    await screenshot(page, 'en-workflow-editor');

    await page.getByTestId('menu-automation-schedules').filter({ hasText: exactly('Schedules') }).click();
    await page.getByTestId('schedule-create').click();
    await page.getByTestId('schedule-form-cron').fill('nonsense x y z');
    await page.getByTestId('schedule-drawer').locator('.n-form-item-feedback--error').filter({ hasText: 'exactly five or six space separated parts are required' }).waitFor();
    await page.getByTestId('schedule-preset-hourly').click();
    await waitFor(async () => ((await fires(page).count()) === 5 ? true : undefined), { what: 'five hourly fires', timeoutMs: 10_000 });
    await screenshot(page, 'en-schedule-form');
    await page.keyboard.press('Escape');
    await page.getByTestId('schedule-drawer').waitFor({ state: 'detached' });
    await screenshot(page, 'en-schedules');

    await page.getByTestId('menu-automation-dashboard').filter({ hasText: exactly('Dashboard') }).click();
    await page.getByTestId('dashboard-today').getByText('Runs today').waitFor();
    await screenshot(page, 'en-dashboard');
    await page.getByTestId('menu-automation-plugins').filter({ hasText: exactly('Plugins') }).click();
    await page.locator('[data-testid="plugin"][data-type="approval"]').getByTestId('plugin-title').filter({ hasText: exactly('Manual approval') }).waitFor();
    await screenshot(page, 'en-plugins');
    await page.getByTestId('menu-events-timeline').click();
    await page.getByTestId('timeline-item-text').filter({ hasText: exactly(`admin approved step approve of workflow ${WORKFLOW}`) }).waitFor();
  });

  it('logged no errors', () => {
    expect(session.problems).toEqual([]);
  });
});
