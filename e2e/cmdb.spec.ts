import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiChange, createTreeNode, type TreeNode } from './support/api';
import { openConsole, signInAsAdmin, type ConsoleSession } from './support/console';
import { screenshot } from './support/screenshots';
import type { RunningServer } from './support/server';
import { exactly } from './support/text';

/** Three good hosts and one with a bad IP (line 4), bound to leaves by path. */
const CSV = [
  'hostname,ips,os,cpu_cores,memory_mb,disks,labels,status,owner,nodes',
  'k8s-node-01,10.0.1.11,Debian 12,16,65536,/:100;/data:500,env=prod;role=k8s,online,admin,infra.k8s.node-01',
  'k8s-node-02,10.0.1.12;10.0.1.13,Debian 12,16,65536,/:100,env=prod;role=k8s,online,admin,infra.k8s.node-01',
  'bad-host,10.0.1.999,Debian 12,,,,,,,',
  'db-01,10.0.2.21,Rocky Linux 9,32,131072,/:200;/var/lib/mysql:2000,env=prod;team=db,maintenance,,biz.shop.db',
].join('\n');

const row = (page: Page, path: string) => page.locator(`[data-testid="tree-node"][data-path="${path}"]`);
const nameOf = (page: Page, path: string) => row(page, path).getByTestId('tree-node-name');
const tab = (page: Page, name: string) => page.locator(`.n-tabs-tab[data-name="${name}"]`);
const hostnames = (page: Page, scope = page.getByTestId('hosts-table')) => scope.getByTestId('host-row-hostname');

describe('the CMDB console', () => {
  let session: ConsoleSession;
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let k8s: TreeNode;

  /** Import the CSV through the dialog: a dry run first, then (if asked) for real. */
  async function checkImport(apply: boolean): Promise<void> {
    await page.getByTestId('hosts-import').click();
    const modal = page.getByTestId('host-import-modal');
    await modal.waitFor();
    await page.getByTestId('host-import-text').fill(CSV);
    await page.getByTestId('host-import-check').click();
    await modal.getByTestId('import-report').waitFor();
    if (apply) await page.getByTestId('host-import-apply').click();
  }

  beforeAll(async () => {
    session = await openConsole();
    ({ server, context, page } = session);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('signs in and sets up the tree through the API', async () => {
    await signInAsAdmin(page, server);
    const infra = await createTreeNode(context, { name: 'infra', icon: 'business' });
    k8s = await createTreeNode(context, { name: 'k8s', parentId: infra.id, icon: 'cluster' });
    await createTreeNode(context, { name: 'node-01', parentId: k8s.id, isLeaf: true, icon: 'server' });
    const shop = await createTreeNode(context, { name: 'shop', parentId: (await createTreeNode(context, { name: 'biz' })).id });
    await createTreeNode(context, { name: 'db', parentId: shop.id, isLeaf: true, icon: 'database' });
  });

  it('imports hosts from CSV: the dry run names the bad row, the import creates the good ones', async () => {
    expect(await page.getByTestId('menu-cmdb-hosts').textContent()).toBe('主机');
    await page.getByTestId('menu-cmdb-hosts').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('主机') }).waitFor();
    await page.getByTestId('hosts-table').getByText('还没有主机').waitFor();

    await checkImport(false);
    const modal = page.getByTestId('host-import-modal');
    await modal.getByTestId('import-count-create').filter({ hasText: '新建 3' }).waitFor();
    await modal.getByTestId('import-count-reject').filter({ hasText: '拒绝 1' }).waitFor();
    const rejected = modal.locator('tr', { has: page.getByTestId('import-row-action').filter({ hasText: '拒绝' }) });
    expect(await rejected.count()).toBe(1);
    expect(await rejected.locator('td').first().innerText()).toBe('4');
    expect(await rejected.getByTestId('import-row-errors').innerText()).toContain('ips');
    // Nothing is created by the dry run.
    expect(await hostnames(page).count()).toBe(0);
    await screenshot(page, 'zh-hosts-import-report');

    // Editing the content after the check asks for a new check.
    await page.getByTestId('host-import-text').fill(`${CSV}\n`);
    expect(await page.getByTestId('host-import-apply').isDisabled()).toBe(true);
    await page.getByTestId('host-import-text').fill(CSV);
    await page.getByTestId('host-import-check').click();
    await page.getByTestId('host-import-apply').click();
    await modal.getByText('导入完成。').waitFor();
    await modal.getByTestId('import-count-create').filter({ hasText: '新建 3' }).waitFor();
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'detached' });

    for (const name of ['db-01', 'k8s-node-01', 'k8s-node-02']) await hostnames(page).filter({ hasText: exactly(name) }).waitFor();
    expect(await hostnames(page).filter({ hasText: 'bad-host' }).count()).toBe(0);
    await page.locator('.n-message').first().waitFor({ state: 'detached' });
    await screenshot(page, 'zh-hosts');
  });

  it('filters hosts by search and opens the edit drawer', async () => {
    await page.getByTestId('hosts-search').locator('input').fill('10.0.2');
    await hostnames(page).filter({ hasText: exactly('k8s-node-01') }).waitFor({ state: 'detached' });
    expect(await hostnames(page).allInnerTexts()).toEqual(['db-01']);
    await page.getByTestId('host-edit').click();
    const drawer = page.getByTestId('host-drawer');
    await drawer.waitFor();
    expect(await page.getByTestId('host-form-hostname').inputValue()).toBe('db-01');
    await screenshot(page, 'zh-host-edit');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    await page.getByTestId('hosts-search').locator('input').fill('');
  });

  it('lists a leaf node\'s hosts on the service tree', async () => {
    await page.goto('/tree?node=infra.k8s.node-01');
    await page.getByTestId('tree-detail-path').filter({ hasText: exactly('infra.k8s.node-01') }).waitFor();
    // Two hosts are bound below infra.k8s: the tree says so next to the name.
    await row(page, 'infra.k8s').getByTestId('tree-node-hosts').filter({ hasText: exactly('2') }).waitFor();
    await tab(page, 'hosts').click();
    const tabHosts = page.getByTestId('node-hosts');
    for (const name of ['k8s-node-01', 'k8s-node-02']) await hostnames(page, tabHosts).filter({ hasText: exactly(name) }).waitFor();
    expect(await hostnames(page, tabHosts).filter({ hasText: 'db-01' }).count()).toBe(0);
    await tabHosts.getByTestId('node-hosts-bind').waitFor();
    await screenshot(page, 'zh-tree-node-hosts');

    // Add one more here: it starts bound to this leaf; a bad IP is caught before it is sent.
    await tabHosts.getByTestId('node-hosts-create').click();
    const drawer = page.getByTestId('host-drawer');
    await page.getByTestId('host-form-hostname').fill('k8s-node-03');
    await page.getByTestId('host-form-ips-box').click();
    await page.keyboard.type('10.0.1.300');
    await page.keyboard.press('Enter');
    await page.getByTestId('host-form-submit').click();
    await drawer.locator('.n-form-item-feedback--error').filter({ hasText: '10.0.1.300 不是合法的 IPv4 或 IPv6 地址' }).waitFor();
    await drawer.getByText('infra.k8s.node-01').waitFor();
    await screenshot(page, 'zh-host-create-invalid');
    await page.getByTestId('host-form-ips-box').click();
    await page.keyboard.press('Backspace');
    await page.keyboard.type('10.0.1.14');
    await page.keyboard.press('Enter');
    await page.getByTestId('host-form-submit').click();
    await drawer.waitFor({ state: 'detached' });
    await hostnames(page, tabHosts).filter({ hasText: exactly('k8s-node-03') }).waitFor();

    // On the group above, the subtree's hosts show with "include descendants".
    await nameOf(page, 'infra.k8s').click();
    await page.getByTestId('tree-detail-path').filter({ hasText: exactly('infra.k8s') }).waitFor();
    await hostnames(page, page.getByTestId('node-hosts')).filter({ hasText: exactly('k8s-node-02') }).waitFor();
    await row(page, 'infra.k8s').getByTestId('tree-node-hosts').filter({ hasText: exactly('3') }).waitFor();
  });

  it('adds an app on a node from its Apps tab', async () => {
    await tab(page, 'apps').click();
    await page.getByTestId('node-apps-create').click();
    const modal = page.getByTestId('app-modal');
    await page.getByTestId('app-form-name').fill('ingress-nginx');
    // The node is this one already; add a port and a label row.
    await modal.getByText('infra.k8s').waitFor();
    await modal.locator('.n-form-item', { hasText: '端口' }).getByRole('button', { name: '添加' }).click();
    await page.getByTestId('app-form-port-0').fill('443');
    await modal.locator('.n-form-item', { hasText: '标签' }).getByRole('button', { name: '添加' }).click();
    await page.getByTestId('app-form-label-key-0').fill('tier');
    await page.getByTestId('app-form-label-value-0').fill('edge');
    await screenshot(page, 'zh-app-form');
    await page.getByTestId('app-form-submit').click();
    await modal.waitFor({ state: 'detached' });
    await page.getByTestId('node-apps').getByTestId('app-row-name').filter({ hasText: exactly('ingress-nginx') }).waitFor();
    await page.locator('.n-message').first().waitFor({ state: 'detached' });
    await screenshot(page, 'zh-tree-node-apps');
  });

  it('shows the grants and my effective permissions on a node', async () => {
    await tab(page, 'permissions').click();
    const mine = page.getByTestId('node-effective-permissions');
    await mine.getByTestId('node-effective-grants').getByText('admin').waitFor();
    await mine.getByText('全局').first().waitFor();
    await page.getByTestId('node-grants').getByText('本节点上还没有授予任何角色').waitFor();
    await screenshot(page, 'zh-tree-node-permissions');
  });

  it('tells what happened on the timeline in sentences', async () => {
    await page.getByTestId('menu-events-timeline').click();
    const text = page.getByTestId('timeline-item-text');
    await text.filter({ hasText: exactly('admin 从 CSV 导入了主机：新建 3 台，更新 0 台，拒绝 1 行') }).waitFor();
    await text.filter({ hasText: exactly('admin 添加了主机 k8s-node-03') }).waitFor();
    await text.filter({ hasText: exactly('admin 添加了应用 ingress-nginx') }).waitFor();
    await screenshot(page, 'zh-timeline-cmdb');
    await page.goto('/tree?node=infra.k8s');
    await page.getByTestId('tree-detail-path').filter({ hasText: exactly('infra.k8s') }).waitFor();
    await tab(page, 'permissions').click();
    await page.getByTestId('node-effective-grants').waitFor();
  });

  it('reads in English too', async () => {
    await page.getByTestId('locale-switch').click();
    await page.getByTestId('locale-en').click();
    await page.getByTestId('locale-en').waitFor({ state: 'detached' });
    await tab(page, 'permissions').filter({ hasText: 'Permissions' }).waitFor();
    await page.getByTestId('node-effective-permissions').getByText('My permissions here').waitFor();
    await screenshot(page, 'en-tree-node-permissions');
    await tab(page, 'apps').click();
    await page.getByTestId('node-apps').getByTestId('app-row-name').filter({ hasText: exactly('ingress-nginx') }).waitFor();
    await screenshot(page, 'en-tree-node-apps');
    await tab(page, 'hosts').click();
    await hostnames(page, page.getByTestId('node-hosts')).filter({ hasText: exactly('k8s-node-01') }).waitFor();
    await screenshot(page, 'en-tree-node-hosts');

    await page.getByTestId('menu-cmdb-hosts').click();
    await page.getByTestId('page-title').filter({ hasText: exactly('Hosts') }).waitFor();
    await hostnames(page).filter({ hasText: exactly('db-01') }).waitFor();
    await screenshot(page, 'en-hosts');
    const exported = page.waitForEvent('download');
    await page.getByTestId('hosts-export').click();
    expect((await exported).suggestedFilename()).toMatch(/^opsline-hosts-\d{4}-\d{2}-\d{2}\.csv$/);
    await page.getByTestId('hosts-import').click();
    const template = page.waitForEvent('download');
    await page.getByTestId('host-import-template').click();
    expect((await template).suggestedFilename()).toBe('hosts-template.csv');
    await page.keyboard.press('Escape');
    await page.getByTestId('host-import-modal').waitFor({ state: 'detached' });
    await checkImport(false);
    // Imported already: the same file now creates nothing.
    await page.getByTestId('import-count-unchanged').filter({ hasText: 'Unchanged 3' }).waitFor();
    await screenshot(page, 'en-hosts-import-report');
    await page.keyboard.press('Escape');
    await page.getByTestId('host-import-modal').waitFor({ state: 'detached' });

    await page.getByTestId('menu-cmdb-apps').click();
    await page.getByTestId('apps-table').getByTestId('app-row-name').filter({ hasText: exactly('ingress-nginx') }).waitFor();
    await screenshot(page, 'en-apps');
  });

  it('binds a host to a leaf through the API, and unbinds one in the tab', async () => {
    const res = await context.request.get('/api/v1/hosts?q=db-01');
    const host = ((await res.json()) as { items: { id: string }[] }).items[0];
    expect(host).toBeDefined();
    const leaf = await context.request.get(`/api/v1/tree/nodes?parentId=${k8s.id}`);
    const node01 = ((await leaf.json()) as { items: TreeNode[] }).items.find((n) => n.name === 'node-01');
    const bound = await apiChange(context, 'POST', `/api/v1/tree/nodes/${node01?.id ?? ''}/hosts`, { hostIds: [host?.id] });
    expect(bound.status()).toBe(200);
    await page.goto('/tree?node=infra.k8s.node-01');
    await tab(page, 'hosts').click();
    const tabHosts = page.getByTestId('node-hosts');
    await hostnames(page, tabHosts).filter({ hasText: exactly('db-01') }).waitFor();

    // Unbind the checked row: it leaves this node's list, and stays in the CMDB.
    await tabHosts.locator('tr', { hasText: 'k8s-node-03' }).locator('.n-checkbox').click();
    await page.getByTestId('node-hosts-unbind').filter({ hasText: '(1)' }).click();
    await page.getByTestId('confirm-ok').click();
    await hostnames(page, tabHosts).filter({ hasText: exactly('k8s-node-03') }).waitFor({ state: 'detached' });
    const still = await context.request.get('/api/v1/hosts?q=k8s-node-03');
    expect(((await still.json()) as { items: { nodes: unknown[] }[] }).items[0]?.nodes).toEqual([]);
  });

  it('says how many hosts and apps a cascade delete would unbind', async () => {
    await nameOf(page, 'infra').click({ button: 'right' });
    await page.getByTestId('tree-menu-delete').click();
    await page.getByTestId('confirm-ok').click();
    const modal = page.getByTestId('tree-cascade-modal');
    // node-01 holds k8s-node-01, k8s-node-02 and db-01; ingress-nginx sits on infra.k8s.
    await modal.getByTestId('tree-cascade-hosts').filter({ hasText: '3 host bindings would be removed' }).waitFor();
    await modal.getByTestId('tree-cascade-apps').filter({ hasText: 'One app would lose its node' }).waitFor();
    await screenshot(page, 'en-tree-cascade-cmdb');
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'detached' });
  });

  it('shows a user granted on infra.k8s only that subtree, with the path above locked', async () => {
    const made = await apiChange(context, 'POST', '/api/v1/users', { username: 'k8s-viewer', password: 'viewer-password-1', roles: [] });
    expect(made.status()).toBe(201);
    const user = (await made.json()) as { id: string };
    expect((await apiChange(context, 'POST', '/api/v1/grants', { userId: user.id, role: 'viewer', nodeId: k8s.id })).status()).toBe(201);
    const scoped = await session.browser.newContext({ baseURL: server.baseUrl, locale: 'en-US', viewport: { width: 1440, height: 900 } });
    scoped.setDefaultTimeout(15_000);
    try {
      const p = await scoped.newPage();
      await p.goto('/login');
      await p.getByTestId('login-username').fill('k8s-viewer');
      await p.getByTestId('login-password').fill('viewer-password-1');
      await p.getByTestId('login-submit').click();
      await p.getByTestId('menu-tree').click();
      await row(p, 'infra').getByTestId('tree-node-lock').waitFor();
      await row(p, 'infra').locator('.n-tree-node-switcher').click();
      await row(p, 'infra.k8s').waitFor();
      expect(await row(p, 'biz').count()).toBe(0);
      expect(await row(p, 'infra.k8s').getByTestId('tree-node-lock').count()).toBe(0);
      await screenshot(p, 'en-tree-scoped-user');
      await p.getByTestId('menu-cmdb-hosts').click();
      await hostnames(p).filter({ hasText: exactly('k8s-node-01') }).waitFor();
      // Unbound hosts belong to no subtree of theirs.
      expect(await hostnames(p).filter({ hasText: exactly('k8s-node-03') }).count()).toBe(0);
    } finally {
      await scoped.close();
    }
  });

  it('logged no errors', () => {
    expect(session.problems).toEqual([]);
  });
});
