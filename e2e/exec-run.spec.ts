import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiChange, createTreeNode } from './support/api';
import { openConsole, signInAsAdmin, type ConsoleSession } from './support/console';
import { screenshot } from './support/screenshots';
import type { RunningServer } from './support/server';
import { exactly } from './support/text';

/** More hosts than one page of the run's tasks (50). */
const HOSTS = 60;
const hostname = (i: number) => `fleet-${String(i).padStart(2, '0')}`;

const rows = (page: Page) => page.getByTestId('exec-task-row');
const rowOf = (page: Page, name: string) => rows(page).filter({ has: page.getByTestId('exec-task-host').filter({ hasText: exactly(name) }) });

describe('a run on many hosts in the console', () => {
  let session: ConsoleSession;
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    session = await openConsole();
    ({ server, context, page } = session);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('signs in and adds agentless hosts whose SSH port refuses', async () => {
    await signInAsAdmin(page, server);
    const lab = await createTreeNode(context, { name: 'lab' });
    const fleet = await createTreeNode(context, { name: 'fleet', parentId: lab.id, isLeaf: true, icon: 'server' });
    for (let i = 1; i <= HOSTS; i++) {
      const made = await apiChange(context, 'POST', '/api/v1/hosts', { hostname: hostname(i), ips: [`10.30.0.${i}`], nodeIds: [fleet.id] });
      expect(made.status(), await made.text()).toBe(201);
      const { id } = (await made.json()) as { id: string };
      // Nothing listens on port 1: each task fails at once, saying why.
      const cred = await apiChange(context, 'POST', `/api/v1/hosts/${id}/ssh-credential`, { username: 'nobody', port: 1, address: '127.0.0.1', password: 'x' });
      expect(cred.status(), await cred.text()).toBe(200);
    }
  });

  it('follows the run by its counts and pages its tasks, 50 at a time', async () => {
    await page.getByTestId('menu-exec-run').click();
    await page.getByTestId('exec-node').fill('fleet');
    await page.getByTestId('tree-search-result').filter({ hasText: exactly('lab.fleet') }).click();
    await page.getByTestId('exec-add-node-hosts').click();
    await page.getByTestId('exec-hosts-count').filter({ hasText: `已选择 ${HOSTS} 台主机，其中 0 台在线` }).waitFor();
    await page.getByTestId('exec-script').fill('true');
    await page.getByTestId('exec-run').click();

    await page.locator(`[data-testid="exec-progress"][data-done="${HOSTS}"][data-total="${HOSTS}"]`).waitFor({ timeout: 30_000 });
    await page.getByTestId('exec-progress-text').filter({ hasText: exactly(`已完成 ${HOSTS} / ${HOSTS}`) }).waitFor();
    await page.getByTestId('exec-count-failed').filter({ hasText: exactly(`失败 ${HOSTS}`) }).waitFor();
    await rows(page).getByTestId('exec-task-status').filter({ hasText: exactly('失败') }).first().waitFor();
    expect(await rows(page).count()).toBe(50);
    // A run on this many hosts opens no row by itself; each row says why its task failed.
    expect(await page.getByTestId('exec-task').count()).toBe(0);
    expect(await rows(page).getByTestId('exec-task-line').first().innerText()).toContain('connection refused');
    // Tasks come in the server's order, not by name: note a host of each page.
    const first = await rows(page).getByTestId('exec-task-host').first().innerText();
    await screenshot(page, 'zh-exec-run-many');

    await page.getByTestId('pager-next').click();
    await page.getByTestId('pager').getByText(exactly(`第 51–${HOSTS} 条`)).waitFor();
    expect(await rows(page).count()).toBe(HOSTS - 50);
    expect(await rowOf(page, first).count()).toBe(0);
    await page.getByTestId('pager-prev').click();
    await page.getByTestId('pager').getByText(exactly('第 1–50 条')).waitFor();

    // A row opens to the whole task.
    await rowOf(page, first).getByTestId('exec-task-host').click();
    const panel = page.locator(`[data-testid="exec-task"][data-host="${first}"]`);
    await panel.getByText('connection refused').waitFor();
    await panel.getByTestId('exec-output-stdout').filter({ hasText: '无输出' }).waitFor();
    expect(await panel.getByTestId('exec-task-kill').count()).toBe(0);
    await screenshot(page, 'zh-exec-run-many-open');
  });

  it('logged no errors', () => {
    expect(session.problems).toEqual([]);
  });
});
