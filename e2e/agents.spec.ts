import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@opsline/test-utils/wait';
import { startAgent, type RunningAgent } from './support/agent';
import { apiChange, createTreeNode } from './support/api';
import { openConsole, signInAsAdmin, type ConsoleSession } from './support/console';
import { screenshot } from './support/screenshots';
import type { RunningServer } from './support/server';
import { exactly } from './support/text';

const AGENT_HOSTNAME = 'e2e-agent-01';

interface AgentRow {
  hostname: string;
  status: string;
  metrics: unknown;
}

const agentRow = (page: Page) => page.getByTestId('agents-table').locator('tr', { has: page.getByTestId('agent-row-hostname').filter({ hasText: exactly(AGENT_HOSTNAME) }) });
const taskRow = (page: Page) => page.getByTestId('exec-task-row').filter({ has: page.getByTestId('exec-task-host').filter({ hasText: exactly(AGENT_HOSTNAME) }) });
const taskPanel = (page: Page) => page.locator(`[data-testid="exec-task"][data-host="${AGENT_HOSTNAME}"]`);
/** The run followed has all its `total` tasks done. */
const runDone = (page: Page, total: number) => page.locator(`[data-testid="exec-progress"][data-done="${total}"][data-total="${total}"]`).waitFor();

describe('agents and remote execution in the console', () => {
  let session: ConsoleSession;
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let agent: RunningAgent | undefined;

  /** Creates an enrollment token in the dialog; answers the token the reveal dialog shows. */
  async function createToken(name: string, nodeSearch: string, nodePath: string): Promise<string> {
    await page.getByTestId('enroll-token-create').click();
    await page.getByTestId('enroll-token-modal').waitFor();
    await page.getByTestId('enroll-token-name').fill(name);
    await page.getByTestId('enroll-token-node').fill(nodeSearch);
    await page.getByTestId('tree-search-result').filter({ hasText: exactly(nodePath) }).click();
    await page.getByTestId('enroll-token-submit').click();
    await page.getByTestId('enroll-token-reveal').waitFor();
    return page.getByTestId('enroll-token-value').inputValue();
  }

  /** The agent as the API sees it, once `ready` says so. */
  async function agentWhen(ready: (a: AgentRow) => boolean, what: string): Promise<AgentRow> {
    return waitFor(
      async () => {
        const res = await context.request.get(`/api/v1/agents?q=${AGENT_HOSTNAME}`);
        const found = ((await res.json()) as { items: AgentRow[] }).items.find((a) => a.hostname === AGENT_HOSTNAME);
        return found && ready(found) ? found : undefined;
      },
      { what, timeoutMs: 40_000 },
    );
  }

  /** Picks the agent's host in the Run page's host picker. */
  async function pickHost(search: string, hostname: string): Promise<void> {
    // A multiple select shows its input once focused.
    await page.getByTestId('exec-hosts-select').click();
    await page.getByTestId('exec-hosts').fill(search);
    await page.getByTestId('exec-host-option').filter({ hasText: hostname }).click();
    await page.keyboard.press('Escape');
  }

  beforeAll(async () => {
    session = await openConsole();
    ({ server, context, page } = session);
  });

  afterAll(async () => {
    await agent?.stop();
    await session?.close();
  });

  it('signs in and sets up a leaf node for new hosts', async () => {
    await signInAsAdmin(page, server);
    const infra = await createTreeNode(context, { name: 'infra', icon: 'business' });
    await createTreeNode(context, { name: 'web', parentId: infra.id, isLeaf: true, icon: 'server' });
  });

  it('creates an enrollment token and shows it once, with the install commands', async () => {
    expect(await page.getByTestId('menu-agents-list').textContent()).toBe('主机代理');
    expect(await page.getByTestId('menu-exec-run').textContent()).toBe('执行脚本');
    await page.getByTestId('menu-agents-list').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('主机代理') }).waitFor();
    await page.getByTestId('agents-table').getByText('还没有 Agent 注册').waitFor();
    await page.getByTestId('tab-tokens').click();
    await page.getByTestId('enroll-tokens-table').getByText('还没有注册令牌').waitFor();

    const token = await createToken('e2e-web', 'web', 'infra.web');
    expect(token).toMatch(/^ole_/);
    const reveal = page.getByTestId('enroll-token-reveal');
    await reveal.getByText('关闭后将不再显示').waitFor();
    await reveal.getByText('新主机将绑定到 infra.web。').waitFor();
    expect(await page.getByTestId('enroll-token-install').innerText()).toContain(
      `curl -fsSL ${server.baseUrl}/api/v1/agents/install.sh | sudo sh -s -- --token ${token}`,
    );
    expect(await page.getByTestId('enroll-token-dev').innerText()).toContain(`npx opsline agent --server grpc://127.0.0.1:${server.grpcPort} --token ${token}`);
    await screenshot(page, 'zh-enroll-token-reveal');
    await page.getByTestId('enroll-token-reveal-done').click();
    await reveal.waitFor({ state: 'detached' });

    const row = page.getByTestId('enroll-tokens-table').locator('tr', { has: page.getByTestId('enroll-token-row-name').filter({ hasText: exactly('e2e-web') }) });
    await row.getByTestId('enroll-token-state').filter({ hasText: '有效' }).waitFor();
    expect(await row.getByTestId('enroll-token-uses').innerText()).toBe('0 / 1');
    // The token itself is never shown again.
    expect(await page.content()).not.toContain(token);

    agent = startAgent({ grpcPort: server.grpcPort, token, hostname: AGENT_HOSTNAME });
  });

  it('shows the enrolled agent online with its figures, and its host bound to the token\'s node', async () => {
    await agentWhen((a) => a.status === 'online' && a.metrics !== null, 'the agent to be online with figures').catch((err: unknown) => {
      throw new Error(`${String(err)}\n--- agent output ---\n${agent?.output() ?? ''}`);
    });
    await page.goto('/agents');
    const row = agentRow(page);
    await row.getByTestId('agent-status').filter({ hasText: '在线' }).waitFor();
    await row.getByTestId('agent-figures').waitFor();
    await screenshot(page, 'zh-agents');

    // The status filter is the server's: each choice asks for that status, from the first page.
    const chooseStatus = async (label: string, status: string) => {
      await page.getByTestId('agents-status-filter').click();
      const asked = page.waitForRequest((req) => new URL(req.url()).pathname === '/api/v1/agents' && new URL(req.url()).searchParams.get('status') === status);
      await page.locator('.n-base-select-option').filter({ hasText: exactly(label) }).click();
      return new URL((await asked).url()).searchParams;
    };
    expect((await chooseStatus('已吊销', 'revoked')).get('limit')).toBe('20');
    await page.getByTestId('agents-table').getByText('没有符合筛选条件的记录').waitFor();
    expect((await chooseStatus('在线', 'online')).get('cursor')).toBeNull();
    await row.getByTestId('agent-status').filter({ hasText: '在线' }).waitFor();

    await page.getByTestId('tab-tokens').click();
    const tokenRow = page.getByTestId('enroll-tokens-table').locator('tr', { has: page.getByTestId('enroll-token-row-name').filter({ hasText: exactly('e2e-web') }) });
    await tokenRow.getByTestId('enroll-token-state').filter({ hasText: '已用完' }).waitFor();
    expect(await tokenRow.getByTestId('enroll-token-uses').innerText()).toBe('1 / 1');

    // The hostname links to its host in the CMDB, bound to infra.web.
    await page.getByTestId('tab-agents').click();
    await row.getByTestId('agent-row-hostname').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('主机') }).waitFor();
    const hostRow = page.getByTestId('hosts-table').locator('tr', { hasText: AGENT_HOSTNAME });
    await hostRow.getByText('infra.web').waitFor();
    expect(await page.getByTestId('hosts-table').getByTestId('host-row-hostname').allInnerTexts()).toEqual([AGENT_HOSTNAME]);
  });

  it('runs a script on the agent from the Run page and shows its output', async () => {
    await page.getByTestId('menu-exec-run').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('执行脚本') }).waitFor();

    // Nothing chosen: the form says so before anything is sent.
    await page.getByTestId('exec-run').click();
    await page.getByTestId('exec-form').locator('.n-form-item-feedback--error').first().waitFor();

    await pickHost('e2e-agent', AGENT_HOSTNAME);
    await page.getByTestId('exec-hosts-count').filter({ hasText: '已选择 1 台主机，其中 1 台在线' }).waitFor();
    await page.getByTestId('exec-script').fill('echo hello; uname -r');
    await page.getByTestId('exec-run').click();

    // The run: 1 of 1 done, 1 succeeded; the run id is kept in the URL.
    await runDone(page, 1);
    await page.getByTestId('exec-progress-text').filter({ hasText: exactly('已完成 1 / 1') }).waitFor();
    await page.getByTestId('exec-count-success').filter({ hasText: exactly('成功 1') }).waitFor();
    expect(await page.getByTestId('exec-summary').locator('.n-tag').count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('run')).toMatch(/\S+/);
    const row = taskRow(page);
    await row.getByTestId('exec-task-status').filter({ hasText: exactly('成功') }).waitFor();
    await row.getByTestId('exec-task-exit').filter({ hasText: exactly('0') }).waitFor();
    // A run on one host opens its row by itself, with the whole output.
    const panel = taskPanel(page);
    expect(await panel.getByTestId('exec-output-stdout').innerText()).toMatch(/^hello\n\S+/);
    const kernel = (await panel.getByTestId('exec-output-stdout').innerText()).trim().split('\n').pop() ?? '';
    expect(await row.getByTestId('exec-task-line').innerText()).toBe(kernel);
    await screenshot(page, 'zh-exec-run');

    // A click on the row closes it and opens it again.
    await row.getByTestId('exec-task-host').click();
    await panel.waitFor({ state: 'detached' });
    await row.getByTestId('exec-task-host').click();
    await panel.getByTestId('exec-output-stdout').filter({ hasText: /^hello\n\S+/ }).waitFor();

    // The status filter asks the server for the tasks in that state.
    await page.getByTestId('exec-status-filter').click();
    const asked = page.waitForRequest((req) => req.url().includes('/tasks?') && req.url().includes('status=failed'));
    await page.locator('.n-base-select-option').filter({ hasText: exactly('失败 0') }).click();
    await asked;
    await page.getByTestId('exec-task-table').getByText('没有符合筛选条件的记录').waitFor();
    // The count shows its tasks; again, all of them.
    await page.getByTestId('exec-count-success').click();
    await row.waitFor();
    await page.getByTestId('exec-count-success').click();
    await row.waitFor();
  });

  it('follows a long task live and kills it', async () => {
    await page.getByTestId('exec-script').fill('echo started\nsleep 30\necho never');
    await page.getByTestId('exec-run').click();
    const panel = taskPanel(page);
    const row = taskRow(page);
    // The first line arrives while it still runs: that is the live stream.
    await panel.getByTestId('exec-output-stdout').filter({ hasText: 'started' }).waitFor();
    await panel.getByTestId('exec-task-live').waitFor();
    await row.getByTestId('exec-task-line').filter({ hasText: exactly('started') }).waitFor();
    await row.getByTestId('exec-task-status').filter({ hasText: exactly('执行中') }).waitFor();
    await page.getByTestId('exec-count-running').filter({ hasText: exactly('执行中 1') }).waitFor();
    await page.getByTestId('exec-progress-text').filter({ hasText: exactly('已完成 0 / 1') }).waitFor();
    await screenshot(page, 'zh-exec-running');
    await panel.getByTestId('exec-task-kill').click();
    await page.getByTestId('confirm-ok').click();
    await row.getByTestId('exec-task-status').filter({ hasText: exactly('已终止') }).waitFor();
    expect(await panel.getByTestId('exec-output-stdout').innerText()).not.toContain('never');
    await page.getByTestId('exec-count-killed').filter({ hasText: exactly('已终止 1') }).waitFor();
    await runDone(page, 1);
  });

  it('names the hosts no agent reaches on the hosts field', async () => {
    const made = await apiChange(context, 'POST', '/api/v1/hosts', { hostname: 'no-agent-01', ips: ['10.9.0.1'] });
    expect(made.status()).toBe(201);
    await page.reload();
    // The run followed is in the URL: the reloaded page shows it again, opened.
    await runDone(page, 1);
    await taskRow(page).getByTestId('exec-task-status').filter({ hasText: exactly('已终止') }).waitFor();
    await taskPanel(page).getByTestId('exec-output-stdout').filter({ hasText: 'started' }).waitFor();
    await pickHost('no-agent', 'no-agent-01');
    await page.getByTestId('exec-script').fill('true');
    await page.getByTestId('exec-run').click();
    await page.getByTestId('exec-form').locator('.n-form-item-feedback--error').filter({ hasText: '以下主机既没有 Agent 也没有 SSH 凭据：no-agent-01' }).waitFor();
  });

  it('tells the timeline what happened in sentences', async () => {
    await page.getByTestId('menu-events-timeline').click();
    const text = page.getByTestId('timeline-item-text');
    await text.filter({ hasText: exactly('admin 创建了注册令牌 e2e-web') }).waitFor();
    await text.filter({ hasText: exactly(`${AGENT_HOSTNAME} 上的 Agent 已注册`) }).waitFor();
    await text.filter({ hasText: exactly('admin 在 1 台主机上执行了脚本') }).first().waitFor();
    await text.filter({ hasText: exactly(`admin 终止了 ${AGENT_HOSTNAME} 上的任务`) }).waitFor();
  });

  it('reads in English too', async () => {
    await page.getByTestId('locale-switch').click();
    await page.getByTestId('locale-en').click();
    await page.getByTestId('locale-en').waitFor({ state: 'detached' });

    await page.getByTestId('menu-agents-list').filter({ hasText: exactly('Agents') }).click();
    await agentRow(page).getByTestId('agent-status').filter({ hasText: 'Online' }).waitFor();
    await agentRow(page).getByTestId('agent-figures').waitFor();
    await screenshot(page, 'en-agents');

    await page.getByTestId('tab-tokens').click();
    await createToken('e2e-en', 'web', 'infra.web');
    await page.getByTestId('enroll-token-reveal').getByText('It will not be shown again').waitFor();
    await screenshot(page, 'en-enroll-token-reveal');
    await page.getByTestId('enroll-token-reveal-done').click();
    await page.getByTestId('enroll-token-reveal').waitFor({ state: 'detached' });
    await screenshot(page, 'en-enroll-tokens');

    await page.getByTestId('menu-exec-run').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('Run script') }).waitFor();
    await pickHost('e2e-agent', AGENT_HOSTNAME);
    await page.getByTestId('exec-script').fill('echo hello; echo oops >&2; exit 3');
    await page.getByTestId('exec-run').click();
    await runDone(page, 1);
    await page.getByTestId('exec-progress-text').filter({ hasText: exactly('1 of 1 done') }).waitFor();
    await page.getByTestId('exec-count-failed').filter({ hasText: exactly('Failed 1') }).waitFor();
    const row = taskRow(page);
    await row.getByTestId('exec-task-status').filter({ hasText: exactly('Failed') }).waitFor();
    await row.getByTestId('exec-task-exit').filter({ hasText: exactly('3') }).waitFor();
    // It ended badly: the row shows the last line of stderr.
    await row.getByTestId('exec-task-line').filter({ hasText: exactly('oops') }).waitFor();
    expect(await taskPanel(page).getByTestId('exec-output-stderr').innerText()).toBe('oops\n');
    await screenshot(page, 'en-exec-run');
  });

  it('revokes the agent', async () => {
    await page.getByTestId('menu-agents-list').click();
    await page.getByTestId('tab-agents').click();
    const row = agentRow(page);
    await row.getByTestId('agent-more').click();
    await page.getByTestId('agent-revoke').click();
    await page.getByTestId('confirm-ok').click();
    await row.getByTestId('agent-status').filter({ hasText: 'Revoked' }).waitFor();
    expect((await agentWhen((a) => a.status === 'revoked', 'the agent to be revoked')).status).toBe('revoked');
  });

  it('logged no errors', () => {
    expect(session.problems).toEqual([]);
  });
});
