import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@opsline/test-utils/wait';
import { startAgent, type RunningAgent } from './support/agent';
import { apiChange, createTreeNode } from './support/api';
import { openConsole, signInAsAdmin, type ConsoleSession } from './support/console';
import { screenshot } from './support/screenshots';
import type { RunningServer } from './support/server';
import { exactly } from './support/text';

const AGENT_HOSTNAME = 'e2e-jobs-01';
const SCRIPT = 'e2e-greet';
const TEMPLATE = 'e2e-greet-web';

/** Version 1 and 2 differ in one line: how long the script sleeps between its two lines. */
const scriptText = (sleep: number) => `#!/bin/bash\necho "first: $OPSLINE_PARAM_GREETING"\nsleep ${sleep}\necho "second line"\n`;

const scriptRow = (page: Page, name: string) => page.getByTestId('scripts-table').locator('tr', { has: page.getByTestId('script-row-name').filter({ hasText: exactly(name) }) });
const templateRow = (page: Page, name: string) =>
  page.getByTestId('templates-table').locator('tr', { has: page.getByTestId('template-row-name').filter({ hasText: exactly(name) }) });
const hostOutput = (page: Page) => page.locator(`[data-testid="job-host-output"][data-host="${AGENT_HOSTNAME}"]`);
const hostRow = (page: Page) => page.locator(`[data-testid="job-host-row"][data-host="${AGENT_HOSTNAME}"]`);

describe('the job center in the console', () => {
  let session: ConsoleSession;
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let agent: RunningAgent | undefined;

  /** Replaces the whole text of the code editor by typing, as a person would. */
  async function typeScript(text: string): Promise<void> {
    const editor = page.getByTestId('script-editor');
    await editor.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Delete');
    await page.keyboard.type(text);
    // Typed text reaches the form through the editor's own model: wait for it to hold it all.
    await editor.filter({ hasText: text.trim().split('\n').pop() ?? '' }).waitFor();
  }

  /** Picks the agent's host in a host picker (the exec page's, reused). */
  async function pickHost(scope: Locator): Promise<void> {
    await scope.getByTestId('exec-hosts-select').click();
    await scope.getByTestId('exec-hosts').fill('e2e-jobs');
    await page.getByTestId('exec-host-option').filter({ hasText: AGENT_HOSTNAME }).click();
    await page.keyboard.press('Escape');
    await scope.getByTestId('exec-hosts-count').waitFor();
  }

  /** Opens a script's drawer from the list. */
  async function openScript(name: string): Promise<void> {
    await scriptRow(page, name).getByTestId('script-row-name').click();
    await page.getByTestId('script-drawer').waitFor();
  }

  async function closeDrawer(): Promise<void> {
    await page.keyboard.press('Escape');
    await page.getByTestId('script-drawer').waitFor({ state: 'detached' });
  }

  /** Runs a library script from its row's menu on the agent's host; answers the dialog (still open if refused). */
  async function runFromList(name: string): Promise<Locator> {
    await scriptRow(page, name).getByTestId('script-more').click();
    await page.getByTestId('script-run').click();
    const dialog = page.getByTestId('job-run-dialog');
    await pickHost(dialog);
    await dialog.getByTestId('job-run-submit').click();
    return dialog;
  }

  beforeAll(async () => {
    session = await openConsole();
    ({ server, context, page } = session);
  });

  afterAll(async () => {
    await agent?.stop();
    await session?.close();
  });

  it('signs in and enrolls an agent on a leaf node', async () => {
    await signInAsAdmin(page, server);
    const infra = await createTreeNode(context, { name: 'infra', icon: 'business' });
    const web = await createTreeNode(context, { name: 'web', parentId: infra.id, isLeaf: true, icon: 'server' });
    const made = await apiChange(context, 'POST', '/api/v1/agents/enrollment-tokens', { name: 'e2e-jobs', expiresInSec: 3600, maxUses: 1, nodeId: web.id });
    expect(made.status(), await made.text()).toBe(201);
    agent = startAgent({ grpcPort: server.grpcPort, token: ((await made.json()) as { token: string }).token, hostname: AGENT_HOSTNAME });
    await waitFor(
      async () => {
        const res = await context.request.get(`/api/v1/hosts?q=${AGENT_HOSTNAME}`);
        const hosts = ((await res.json()) as { items: { hostname: string; status: string }[] }).items;
        return hosts.some((h) => h.hostname === AGENT_HOSTNAME && h.status === 'online') || undefined;
      },
      { what: 'the agent to be online', timeoutMs: 40_000 },
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\n--- agent output ---\n${agent?.output() ?? ''}`);
    });
  });

  it('writes a script in the editor, with a parameter, and saves it as version 1', async () => {
    expect(await page.getByTestId('menu-jobs-scripts').textContent()).toBe('脚本管理');
    await page.getByTestId('menu-jobs-scripts').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('脚本管理') }).waitFor();
    await page.getByTestId('scripts-table').getByText('还没有脚本').waitFor();

    await page.getByTestId('script-create').click();
    const drawer = page.getByTestId('script-drawer');
    await drawer.getByTestId('script-form-name').fill(SCRIPT);
    await typeScript(scriptText(1));
    await drawer.getByTestId('param-add').click();
    await drawer.getByTestId('param-name').fill('GREETING');
    await drawer.getByTestId('param-default').fill('hello');

    // The guard finds nothing wrong with it.
    await drawer.getByTestId('script-guard-check').click();
    await drawer.locator('[data-testid="guard-verdict"][data-action="allow"]').getByText('未命中任何高危命令规则').waitFor();
    await screenshot(page, 'zh-script-editor');

    await drawer.getByTestId('script-form-submit').click();
    await page.getByText(`已创建脚本 ${SCRIPT}（版本 1）`).waitFor();
    // The drawer stays open on the saved script, now with its versions.
    await drawer.getByText(`${SCRIPT}（v1）`).waitFor();
    await closeDrawer();
    const row = scriptRow(page, SCRIPT);
    expect(await row.getByTestId('script-row-version').innerText()).toBe('v1');
    await screenshot(page, 'zh-scripts');
  });

  it('edits it into version 2, and the diff shows the changed line', async () => {
    await openScript(SCRIPT);
    const drawer = page.getByTestId('script-drawer');
    // The editor shows the saved text.
    await drawer.getByTestId('script-editor').filter({ hasText: 'sleep 1' }).waitFor();
    await typeScript(scriptText(2));
    await drawer.getByTestId('script-form-message').fill('sleep longer');
    await drawer.getByTestId('script-form-submit').click();
    await page.getByText(`已保存脚本 ${SCRIPT}，生成版本 2`).waitFor();
    await drawer.getByText(`${SCRIPT}（v2）`).waitFor();

    await drawer.getByTestId('tab-versions').click();
    const versions = drawer.getByTestId('script-versions-table');
    await versions.getByTestId('script-version-number').filter({ hasText: exactly('v1') }).waitFor();
    expect(await versions.getByTestId('script-version-number').allInnerTexts()).toEqual(['v2', 'v1']);
    await versions.getByText('sleep longer').waitFor();
    const diff = drawer.getByTestId('script-diff');
    expect(await diff.getByTestId('diff-line-del').allInnerTexts()).toEqual([expect.stringContaining('sleep 1')]);
    expect(await diff.getByTestId('diff-line-add').allInnerTexts()).toEqual([expect.stringContaining('sleep 2')]);
    expect(await diff.getByTestId('script-diff-added').innerText()).toBe('+1');
    await screenshot(page, 'zh-script-versions');
    await closeDrawer();
    expect(await scriptRow(page, SCRIPT).getByTestId('script-row-version').innerText()).toBe('v2');
  });

  it('saves a job template of it, targeting the agent\'s host', async () => {
    await page.getByTestId('menu-jobs-templates').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('作业模板') }).waitFor();
    await page.getByTestId('template-create').click();
    const drawer = page.getByTestId('template-drawer');
    await drawer.getByTestId('template-form-name').fill(TEMPLATE);
    await drawer.getByTestId('template-form-script').fill('e2e-greet');
    await page.getByTestId('script-option').filter({ hasText: SCRIPT }).click();
    // The script's parameter gets its field, its default said.
    await drawer.getByTestId('param-value-GREETING').getByText('默认：hello').waitFor();
    await drawer.getByTestId('param-input-GREETING').fill('bonjour');
    await pickHost(drawer);
    await screenshot(page, 'zh-template-form');
    await drawer.getByTestId('template-form-submit').click();
    await page.getByText(`已创建模板 ${TEMPLATE}`).waitFor();
    await drawer.waitFor({ state: 'detached' });
    const row = templateRow(page, TEMPLATE);
    await row.getByText('1 台主机').waitFor();
    await row.getByText('最新版本').waitFor();
    await screenshot(page, 'zh-templates');
  });

  it('runs it and shows the host\'s output as it comes, before the run ends', async () => {
    await templateRow(page, TEMPLATE).getByTestId('template-run').click();
    const dialog = page.getByTestId('job-run-dialog');
    await dialog.getByTestId('param-input-GREETING').waitFor();
    expect(await dialog.getByTestId('param-input-GREETING').inputValue()).toBe('bonjour');
    await dialog.getByTestId('job-run-submit').click();

    // The run's page: a run on one host opens its row by itself and follows the task live.
    await page.getByTestId('job-run-name').filter({ hasText: exactly(TEMPLATE) }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/jobs\/runs\/\S+$/);
    const stdout = hostOutput(page).getByTestId('exec-output-stdout');
    await stdout.filter({ hasText: 'first: bonjour' }).waitFor();
    // The first line is there while the script still sleeps: the run has not ended.
    expect(await page.getByTestId('job-run-header').getAttribute('data-status')).toBe('running');
    expect(await stdout.innerText()).not.toContain('second line');
    await hostOutput(page).getByTestId('job-host-live').waitFor();
    await hostRow(page).getByTestId('job-host-status').filter({ hasText: exactly('执行中') }).waitFor();
    await page.getByTestId('job-run-pause').waitFor();
    await screenshot(page, 'zh-job-run-running');

    // Then it ends by itself, with no reload.
    await page.locator('[data-testid="job-run-header"][data-status="success"]').waitFor({ timeout: 20_000 });
    await page.getByTestId('job-run-status').filter({ hasText: exactly('成功') }).waitFor();
    await stdout.filter({ hasText: 'second line' }).waitFor();
    expect(await stdout.innerText()).toBe('first: bonjour\nsecond line\n');
    await hostRow(page).getByTestId('job-host-status').filter({ hasText: exactly('成功') }).waitFor();
    await hostRow(page).getByTestId('job-host-exit').filter({ hasText: exactly('0') }).waitFor();
    await page.getByTestId('job-progress-text').filter({ hasText: exactly('已完成 1 / 1 台') }).waitFor();
    await page.getByTestId('job-count-success').filter({ hasText: exactly('成功 1') }).waitFor();
    // Nothing is left to pause or kill; a success has no failed host to retry.
    expect(await page.getByTestId('job-run-actions').locator('button').count()).toBe(0);
    const events = page.getByTestId('job-run-event-text');
    await events.filter({ hasText: exactly('admin 在 1 台主机上启动了作业') }).waitFor();
    await events.filter({ hasText: exactly('作业结束（成功）：1 / 1 台主机成功') }).waitFor();
    await screenshot(page, 'zh-job-run-done');

    // The runs list has it, and its name leads back here.
    await page.getByTestId('menu-jobs-runs').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('作业实例') }).waitFor();
    const runRow = page.getByTestId('job-runs-table').locator('tr', { has: page.getByTestId('job-run-row-name').filter({ hasText: exactly(TEMPLATE) }) });
    await runRow.getByTestId('job-run-status').filter({ hasText: exactly('成功') }).waitFor();
    await screenshot(page, 'zh-job-runs');
    await runRow.getByTestId('job-run-row-name').click();
    await page.getByTestId('job-run-name').filter({ hasText: exactly(TEMPLATE) }).waitFor();
    await hostOutput(page).getByTestId('exec-output-stdout').filter({ hasText: 'second line' }).waitFor();
  });

  it('edits the template as saved, and pins it to version 1', async () => {
    await page.getByTestId('menu-jobs-templates').click();
    await templateRow(page, TEMPLATE).getByTestId('template-more').click();
    await page.getByTestId('template-edit').click();
    const drawer = page.getByTestId('template-drawer');
    // Saved choices come back by their names: the host, the script, the parameter's value.
    await drawer.getByTestId('exec-hosts-select').getByText(AGENT_HOSTNAME).waitFor();
    await drawer.getByText(SCRIPT, { exact: true }).waitFor();
    await drawer.getByTestId('param-input-GREETING').and(page.locator('[value="bonjour"]')).waitFor();
    await drawer.getByTestId('template-version-mode').getByText('固定版本').click();
    await drawer.getByTestId('template-version').click();
    await page.locator('.n-base-select-option').filter({ hasText: 'v1 · created' }).click();
    await drawer.getByTestId('template-form-submit').click();
    await page.getByText(`已保存模板 ${TEMPLATE}`).waitFor();
    await templateRow(page, TEMPLATE).getByText('v1', { exact: true }).waitFor();
  });

  it('refuses to run a script with rm -rf /, saying which rule and line', async () => {
    await page.getByTestId('menu-jobs-scripts').click();
    await page.getByTestId('script-create').click();
    const drawer = page.getByTestId('script-drawer');
    await drawer.getByTestId('script-form-name').fill('e2e-wipe');
    await typeScript('#!/bin/bash\nrm -rf /\n');
    await drawer.getByTestId('script-guard-check').click();
    const verdict = drawer.locator('[data-testid="guard-verdict"][data-action="block"]');
    await verdict.getByText('命中拦截规则：该脚本无法执行').waitFor();
    expect(await verdict.getByTestId('guard-match-line').allInnerTexts()).toEqual(['第 2 行']);
    expect(await verdict.getByTestId('guard-match-rule').allInnerTexts()).toEqual(['rm -rf /']);
    await screenshot(page, 'zh-script-guard-block');
    // Saving is allowed; running is not.
    await drawer.getByTestId('script-form-submit').click();
    await page.getByText('已创建脚本 e2e-wipe（版本 1）').waitFor();
    await closeDrawer();

    const dialog = await runFromList('e2e-wipe');
    const refused = dialog.locator('[data-testid="guard-verdict"][data-action="block"]');
    await refused.getByText('脚本命中了拦截型高危命令规则，已拒绝执行').waitFor();
    expect(await refused.getByTestId('guard-match-line').allInnerTexts()).toEqual(['第 2 行']);
    expect(await refused.getByTestId('guard-match-rule').allInnerTexts()).toEqual(['rm -rf /']);
    await screenshot(page, 'zh-job-run-blocked');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('holds a run for approval, which its starter cannot give; a killed run retries its hosts', async () => {
    const made = await apiChange(context, 'POST', '/api/v1/scripts', { name: 'e2e-says-reboot', language: 'bash', content: '#!/bin/bash\necho reboot\n' });
    expect(made.status(), await made.text()).toBe(201);
    // Made behind the list's back: load the page afresh.
    await page.goto('/jobs/scripts');
    await runFromList('e2e-says-reboot');

    const header = page.getByTestId('job-run-header');
    await page.locator('[data-testid="job-run-header"][data-status="pending"]').waitFor();
    await header.getByTestId('job-run-status').filter({ hasText: exactly('待审批') }).waitFor();
    expect(await page.getByTestId('job-run-reason').innerText()).toBe('等待审批：脚本命中了高危命令规则 shutdown or reboot。');
    await hostRow(page).getByTestId('job-host-status').filter({ hasText: exactly('等待执行') }).waitFor();
    await screenshot(page, 'zh-job-run-approval');
    // Whoever started it may not approve it.
    await page.getByTestId('job-run-approve').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByText('作业需由执行人以外的人审批').waitFor();
    expect(await header.getAttribute('data-status')).toBe('pending');

    await page.getByTestId('job-run-kill').click();
    await page.getByTestId('confirm-ok').click();
    await page.locator('[data-testid="job-run-header"][data-status="killed"]').waitFor();
    await page.getByTestId('job-run-reason').filter({ hasText: '已由 admin 终止。' }).waitFor();
    await hostRow(page).getByTestId('job-host-error').filter({ hasText: exactly('未执行：已由 admin 终止。') }).waitFor();

    // The killed host runs again, without another approval.
    await page.getByTestId('job-run-retry-failed').click();
    await page.locator('[data-testid="job-run-header"][data-status="success"]').waitFor({ timeout: 20_000 });
    await hostOutput(page).getByTestId('exec-output-stdout').filter({ hasText: 'reboot' }).waitFor();
    await hostRow(page).getByTestId('job-host-status').filter({ hasText: exactly('成功') }).waitFor();
    const events = page.getByTestId('job-run-event-text');
    await events.filter({ hasText: exactly('admin 终止了作业') }).waitFor();
    await events.filter({ hasText: exactly('admin 重试了 1 台失败的主机') }).waitFor();
    await screenshot(page, 'zh-job-run-retried');
  });

  it('lists the dangerous-command rules, built-in ones first', async () => {
    await page.getByTestId('menu-jobs-guard-rules').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('高危命令') }).waitFor();
    const row = page.getByTestId('guard-rules-table').locator('tr', { has: page.getByTestId('guard-rule-row-name').filter({ hasText: exactly('rm -rf /') }) });
    await row.getByText('内置').waitFor();
    await row.getByTestId('guard-rule-row-action').filter({ hasText: exactly('拦截') }).waitFor();
    await screenshot(page, 'zh-guard-rules');
  });

  it('reads in English too', async () => {
    await page.getByTestId('locale-switch').click();
    await page.getByTestId('locale-en').click();
    await page.getByTestId('locale-en').waitFor({ state: 'detached' });
    await page.getByTestId('page-title').filter({ hasText: exactly('Dangerous commands') }).waitFor();
    await screenshot(page, 'en-guard-rules');

    await page.getByTestId('menu-jobs-scripts').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('Scripts') }).waitFor();
    await openScript(SCRIPT);
    await page.getByTestId('script-drawer').getByTestId('tab-versions').click();
    await page.getByTestId('script-diff').getByTestId('diff-line-add').waitFor();
    await screenshot(page, 'en-script-versions');
    await closeDrawer();

    // English says what the server says of the refusal.
    const dialog = await runFromList('e2e-wipe');
    await dialog.getByTestId('guard-verdict').getByText('The script matches rm -rf /: blocked by the dangerous-command guard').waitFor();
    await dialog.getByTestId('guard-match-line').filter({ hasText: exactly('Line 2') }).waitFor();
    await screenshot(page, 'en-job-run-blocked');
    await page.keyboard.press('Escape');

    await page.getByTestId('menu-jobs-templates').click();
    await templateRow(page, TEMPLATE).getByText('1 host').waitFor();
    await screenshot(page, 'en-templates');
    await page.getByTestId('menu-jobs-runs').click();
    await page.getByTestId('job-runs-table').getByTestId('job-run-status').filter({ hasText: exactly('Succeeded') }).first().waitFor();
    await page.getByTestId('job-run-row-name').filter({ hasText: exactly(TEMPLATE) }).click();
    await page.getByTestId('job-run-status').filter({ hasText: exactly('Succeeded') }).waitFor();
    await page.getByTestId('job-progress-text').filter({ hasText: exactly('1 of 1 hosts done') }).waitFor();
    await page.getByTestId('job-run-event-text').filter({ hasText: exactly('The run ended: Succeeded, 1 of 1 hosts succeeded') }).waitFor();
    await hostOutput(page).getByTestId('exec-output-stdout').filter({ hasText: 'second line' }).waitFor();
    await screenshot(page, 'en-job-run-done');
  });

  it('logged no errors', () => {
    expect(session.problems).toEqual([]);
  });
});
