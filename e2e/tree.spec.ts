import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTreeNode, type TreeNode } from './support/api';
import { openConsole, signInAsAdmin, type ConsoleSession } from './support/console';
import { screenshot } from './support/screenshots';
import type { RunningServer } from './support/server';

/** The row of the node at `path` (the n-tree node element). */
const row = (page: Page, path: string) => page.locator(`[data-testid="tree-node"][data-path="${path}"]`);
const nameOf = (page: Page, path: string) => row(page, path).getByTestId('tree-node-name');
const tab = (page: Page, name: string) => page.locator(`.n-tabs-tab[data-name="${name}"]`);
const childrenRequest = (parentId: string) => (url: string) => url.includes('/api/v1/tree/nodes?') && url.includes(`parentId=${parentId}`);

describe('the service tree', () => {
  let session: ConsoleSession;
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let infra: TreeNode;
  const requested: string[] = [];

  beforeAll(async () => {
    session = await openConsole();
    ({ server, context, page } = session);
    page.on('request', (req) => requested.push(req.url()));
  });

  afterAll(async () => {
    await session?.close();
  });

  it('signs in and sets up a root and a child through the API', async () => {
    await signInAsAdmin(page, server);
    infra = await createTreeNode(context, { name: 'infra', icon: 'business', description: '基础设施' });
    await createTreeNode(context, { name: 'k8s', parentId: infra.id, icon: 'cluster' });
  });

  it('lists the roots, and fetches a node\'s children only when it is expanded', async () => {
    expect(await page.getByTestId('menu-tree').textContent()).toBe('服务树');
    await page.getByTestId('menu-tree').click();
    await nameOf(page, 'infra').waitFor();
    // The child is neither shown nor asked for until its parent opens.
    expect(await row(page, 'infra.k8s').count()).toBe(0);
    expect(requested.some(childrenRequest(infra.id))).toBe(false);

    const fetched = page.waitForRequest((req) => childrenRequest(infra.id)(req.url()));
    await row(page, 'infra').locator('.n-tree-node-switcher').click();
    await fetched;
    await nameOf(page, 'infra.k8s').waitFor();
    await screenshot(page, 'zh-tree');
  });

  it('shows a node\'s details when it is selected', async () => {
    await nameOf(page, 'infra').click();
    const detail = page.getByTestId('tree-node-detail');
    await detail.getByTestId('tree-detail-path').filter({ hasText: /^infra$/ }).waitFor();
    await detail.getByTestId('tree-detail-children').filter({ hasText: '1 个' }).waitFor();
    await tab(page, 'hosts').click();
    await page.getByTestId('node-hosts').waitFor();
    await tab(page, 'timeline').click();
    await page.getByTestId('timeline-item-text').filter({ hasText: /^admin 添加了节点 infra$/ }).waitFor();
    await screenshot(page, 'zh-tree-timeline');
    await tab(page, 'overview').click();
  });

  it('adds a child from the right-click menu, renames it and deletes it', async () => {
    await nameOf(page, 'infra.k8s').click({ button: 'right' });
    await page.getByTestId('tree-menu-add').waitFor();
    await screenshot(page, 'zh-tree-context-menu');
    await page.getByTestId('tree-menu-add').click();

    const modal = page.getByTestId('tree-node-modal');
    await page.getByTestId('tree-form-name').fill('Prod 01');
    await page.getByTestId('tree-form-submit').click();
    await modal.locator('.n-form-item-feedback--error').filter({ hasText: '只能包含小写字母' }).waitFor();
    await page.getByTestId('tree-form-name').fill('prod-01');
    await modal.locator('.n-form-item-feedback--error').waitFor({ state: 'detached' });
    await screenshot(page, 'zh-tree-add-child');
    await page.getByTestId('tree-form-submit').click();
    await modal.waitFor({ state: 'detached' });
    await nameOf(page, 'infra.k8s.prod-01').waitFor();
    await page.getByTestId('tree-detail-path').filter({ hasText: /^infra\.k8s\.prod-01$/ }).waitFor();

    // The same name again under k8s: the server's 409 lands on the name field.
    await nameOf(page, 'infra.k8s').click({ button: 'right' });
    await page.getByTestId('tree-menu-add').click();
    await page.getByTestId('tree-form-name').fill('prod-01');
    await page.getByTestId('tree-form-submit').click();
    await modal.locator('.n-form-item-feedback--error, .n-alert').filter({ hasText: '同级已有同名节点' }).first().waitFor();
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'detached' });

    await nameOf(page, 'infra.k8s.prod-01').click({ button: 'right' });
    await page.getByTestId('tree-menu-rename').click();
    await page.getByTestId('tree-form-name').fill('prod-02');
    await page.getByTestId('tree-form-submit').click();
    await modal.waitFor({ state: 'detached' });
    await nameOf(page, 'infra.k8s.prod-02').waitFor();
    expect(await row(page, 'infra.k8s.prod-01').count()).toBe(0);

    await nameOf(page, 'infra.k8s.prod-02').click({ button: 'right' });
    await page.getByTestId('tree-menu-delete').click();
    await page.getByTestId('confirm-ok').click();
    await row(page, 'infra.k8s.prod-02').waitFor({ state: 'detached' });
  });

  it('deletes a node with children only after its name is typed', async () => {
    await nameOf(page, 'infra').click({ button: 'right' });
    await page.getByTestId('tree-menu-delete').click();
    await page.getByTestId('confirm-ok').click();
    const modal = page.getByTestId('tree-cascade-modal');
    await modal.getByTestId('tree-cascade-count').filter({ hasText: '节点 infra 下有 1 个子节点' }).waitFor();
    await page.getByTestId('tree-cascade-name').fill('inf');
    await page.getByTestId('tree-cascade-submit').click();
    await modal.locator('.n-form-item-feedback--error').filter({ hasText: '请准确输入节点名称' }).waitFor();
    await screenshot(page, 'zh-tree-cascade');
    // Not this time: it stays.
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'detached' });
    await nameOf(page, 'infra').waitFor();
  });

  it('finds a node by search and opens the tree down to it', async () => {
    const deep = await createTreeNode(context, { name: 'web', parentId: (await createTreeNode(context, { name: 'apps' })).id, isLeaf: true, icon: 'app' });
    expect(deep.path).toBe('apps.web');
    await page.getByTestId('tree-collapse-all').click();
    await page.getByTestId('tree-search').fill('web');
    await page.getByTestId('tree-search-result').filter({ hasText: 'apps.web' }).click();
    await nameOf(page, 'apps.web').waitFor();
    await page.getByTestId('tree-detail-path').filter({ hasText: /^apps\.web$/ }).waitFor();
  });

  it('moves a node with the parent picker', async () => {
    await nameOf(page, 'apps.web').click({ button: 'right' });
    await page.getByTestId('tree-menu-move').click();
    await page.getByTestId('tree-move-search').fill('k8s');
    await page.getByTestId('tree-search-result').filter({ hasText: 'infra.k8s' }).click();
    await screenshot(page, 'zh-tree-move');
    await page.getByTestId('tree-move-submit').click();
    await page.getByTestId('tree-move-modal').waitFor({ state: 'detached' });
    await nameOf(page, 'infra.k8s.web').waitFor();
  });

  it('reads in English too', async () => {
    // The last Chinese toast goes first, so the English screenshots hold English only.
    await page.locator('.n-message').first().waitFor({ state: 'detached' });
    await page.getByTestId('locale-switch').click();
    await page.getByTestId('locale-en').click();
    await page.getByTestId('menu-tree').filter({ hasText: /^Service tree$/ }).waitFor();
    await page.getByTestId('page-title').filter({ hasText: /^Service tree$/ }).waitFor();
    await screenshot(page, 'en-tree');
    await nameOf(page, 'infra.k8s').click({ button: 'right' });
    await page.getByTestId('tree-menu-add').filter({ hasText: 'Add child' }).waitFor();
    await screenshot(page, 'en-tree-context-menu');
    await page.getByTestId('tree-menu-edit').click();
    await page.getByTestId('tree-node-modal').waitFor();
    await screenshot(page, 'en-tree-edit');
    await page.keyboard.press('Escape');
    await page.getByTestId('tree-node-modal').waitFor({ state: 'detached' });
    await tab(page, 'permissions').click();
    await page.getByTestId('node-effective-permissions').getByText('My permissions here').waitFor();
  });

  it('logged no errors', () => {
    expect(session.problems).toEqual([]);
  });
});
