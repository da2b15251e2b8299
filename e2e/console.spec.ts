import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { screenshot } from './support/screenshots';
import { startServer, type RunningServer } from './support/server';
import { ensureBuilt } from './support/web-build';

/** Each console page: how to open it, and what shows it loaded with real data. */
interface ConsolePage {
  name: string;
  open: (page: Page) => Promise<void>;
  loaded: (page: Page) => Promise<void>;
}

const menu = (route: string) => async (page: Page) => {
  await page.getByTestId(`menu-${route}`).click();
};

const PAGES: ConsolePage[] = [
  {
    name: 'timeline',
    open: menu('events-timeline'),
    loaded: (page) => page.getByTestId('timeline-item-type').filter({ hasText: 'system.started' }).first().waitFor(),
  },
  {
    name: 'users',
    open: menu('users-list'),
    loaded: (page) => page.getByTestId('users-table').getByTestId('user-row-username').filter({ hasText: /^admin$/ }).waitFor(),
  },
  {
    name: 'teams',
    open: menu('teams-list'),
    loaded: (page) => page.getByTestId('teams-table').waitFor(),
  },
  {
    name: 'roles',
    open: menu('roles-list'),
    loaded: (page) => page.getByTestId('roles-table').getByTestId('role-row-name').filter({ hasText: /^viewer$/ }).waitFor(),
  },
  {
    name: 'grants',
    open: async (page) => {
      await page.getByTestId('tab-grants').click();
    },
    loaded: (page) => page.getByTestId('grants-table').getByTestId('grant-row-subject').filter({ hasText: /^admin$/ }).waitFor(),
  },
  {
    name: 'audit',
    open: menu('audit-list'),
    loaded: (page) => page.getByTestId('audit-table').getByTestId('audit-row-action').filter({ hasText: /^auth\.login$/ }).first().waitFor(),
  },
  {
    name: 'profile',
    open: async (page) => {
      await page.getByTestId('user-menu').click();
      await page.getByTestId('user-menu-profile').click();
    },
    loaded: (page) => page.getByTestId('profile-tokens').waitFor(),
  },
];

describe('the console', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    server = await startServer();
    browser = await launchBrowser();
    // A Chinese browser: the console should start in Chinese by itself.
    context = await browser.newContext({ baseURL: server.baseUrl, locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    page.on('console', (msg) => {
      // Chromium logs every 4xx answer as a failed resource; the tests provoke some on purpose
      // (/auth/me signed out, a wrong password, a taken username). A 5xx is still a problem.
      if (msg.type() === 'error' && !/status of 4\d\d/.test(msg.text())) problems.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('sends a visitor to the login page and says when the password is wrong', async () => {
    await page.goto('/admin/users');
    await page.waitForURL(/\/login\?redirect=/);
    await page.getByTestId('login-username').waitFor();
    await screenshot(page, 'zh-login');

    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').filter({ hasText: '用户名或密码错误' }).waitFor();
  });

  it('signs in as admin and lands where the visitor wanted to go', async () => {
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(server.adminPassword);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/admin\/users$/);
    await page.getByTestId('side-menu').waitFor();
    expect(await page.getByTestId('menu-users-list').textContent()).toBe('用户');
    expect(await page.getByTestId('menu-events-timeline').textContent()).toBe('事件时间线');
  });

  it('shows every page in Chinese', async () => {
    for (const p of PAGES) {
      await p.open(page);
      await p.loaded(page);
      await screenshot(page, `zh-${p.name}`);
    }
  });

  it('switches the language to English and keeps it', async () => {
    await page.getByTestId('locale-switch').click();
    await page.getByTestId('locale-en').click();
    await page.getByTestId('menu-users-list').filter({ hasText: /^Users$/ }).waitFor();
    await page.reload();
    await page.getByTestId('menu-audit-list').filter({ hasText: /^Audit log$/ }).waitFor();
  });

  it('shows every page in English', async () => {
    for (const p of PAGES) {
      await p.open(page);
      await p.loaded(page);
      await screenshot(page, `en-${p.name}`);
    }
  });

  it('follows the dark theme', async () => {
    await page.getByTestId('theme-switch').click();
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    await screenshot(page, 'en-profile-dark');
    await page.getByTestId('menu-users-list').click();
    await PAGES[1]?.loaded(page);
    await screenshot(page, 'en-users-dark');
    await page.getByTestId('theme-switch').click();
    await page.locator('html[data-theme="light"]').waitFor({ state: 'attached' });
  });

  it('creates a user: the form validates, and the server\'s refusal shows in it', async () => {
    await page.goto('/admin/users');
    await page.getByTestId('user-create').click();
    const drawer = page.getByTestId('user-drawer');
    await page.getByTestId('user-form-submit').click();
    await drawer.locator('.n-form-item-feedback--error').first().waitFor();
    await screenshot(page, 'en-user-drawer-invalid');

    const fill = async (username: string) => {
      await page.getByTestId('user-form-username').fill(username);
      await page.getByTestId('user-form-password').fill('alice-pass-1');
      await page.getByTestId('user-form-confirm').fill('alice-pass-1');
      await page.getByTestId('user-form-submit').click();
    };
    await fill('alice');
    await page.getByTestId('user-drawer').waitFor({ state: 'detached' });
    await page.getByTestId('users-table').getByTestId('user-row-username').filter({ hasText: /^alice$/ }).waitFor();

    // The same name again: the server says 409 USER_EXISTS, and the drawer stays open saying so.
    await page.getByTestId('user-create').click();
    await fill('alice');
    await drawer.locator('.n-form-item-feedback--error').filter({ hasText: 'already exists' }).waitFor();
    await screenshot(page, 'en-user-drawer-exists');
    await page.keyboard.press('Escape');
    await page.getByTestId('user-drawer').waitFor({ state: 'detached' });
  });

  it('creates a custom role with the permission picker', async () => {
    await page.goto('/admin/roles');
    await page.getByTestId('role-create').click();
    await page.getByTestId('role-form-name').fill('auditor');
    const picker = page.getByTestId('permission-picker');
    await picker.getByText('audit:read', { exact: true }).click();
    await picker.getByText('event:read', { exact: true }).click();
    await screenshot(page, 'en-role-modal');
    await page.getByTestId('role-form-submit').click();
    await page.getByTestId('role-modal').waitFor({ state: 'detached' });
    await page.getByTestId('roles-table').getByTestId('role-row-name').filter({ hasText: /^auditor$/ }).waitFor();
  });

  it('shows an audit record\'s before and after', async () => {
    await page.goto('/admin/audit');
    const actions = page.getByTestId('audit-table').getByTestId('audit-row-action');
    // The unfiltered list first, so that its rows going away below means the filter applied.
    await actions.filter({ hasText: /^auth\.login$/ }).first().waitFor();
    await page.getByPlaceholder('Action, e.g. user.create').fill('user.create');
    // The filter has applied once only user.create rows are left; the newest is alice's.
    await actions.filter({ hasNotText: /^user\.create$/ }).first().waitFor({ state: 'detached' });
    await actions.first().waitFor();
    // The newest is the refused duplicate (no after); alice's creation is the newest success.
    const created = page.getByTestId('audit-table').locator('tr').filter({ hasText: /Success/ }).first();
    await created.locator('.n-data-table-expand-trigger').click();
    await page.getByTestId('audit-detail').getByText('"username": "alice"').first().waitFor();
    await screenshot(page, 'en-audit-expanded');
  });

  it('creates an API token and shows it only once', async () => {
    await page.goto('/profile');
    await page.getByTestId('token-create').click();
    await page.getByTestId('token-name').fill('e2e-ci');
    await page.getByTestId('token-create-submit').click();
    const value = page.getByTestId('token-value');
    await value.waitFor();
    const token = await value.inputValue();
    expect(token.length).toBeGreaterThan(20);
    await screenshot(page, 'en-token-created');
    await page.getByTestId('token-reveal-done').click();
    await page.getByTestId('token-reveal').waitFor({ state: 'detached' });
    await page.getByTestId('tokens-table').getByText('e2e-ci', { exact: true }).waitFor();
    // The list shows only the prefix: the token itself is nowhere on the page any more.
    expect(await page.content()).not.toContain(token);
  });

  it('creates a team, and the open timeline shows it live', async () => {
    const watcher = await context.newPage();
    await watcher.goto('/events');
    await watcher.locator('[data-testid="stream-status"][data-state="open"]').waitFor();

    await page.goto('/admin/teams');
    await page.getByTestId('team-create').click();
    await page.getByTestId('team-form-name').fill('SRE');
    await page.getByTestId('team-form-submit').click();
    await page.getByTestId('teams-table').getByTestId('team-row-name').filter({ hasText: /^SRE$/ }).waitFor();
    await screenshot(page, 'en-teams-created');

    await watcher.getByTestId('timeline-item-type').filter({ hasText: 'team.created' }).waitFor();
    await screenshot(watcher, 'en-timeline-live');
    await watcher.close();
  });

  it('sends an ended session to the login page, and back to the page after signing in', async () => {
    // End the session behind the console's back, as an expiry or a revocation would.
    const csrf = (await context.cookies()).find((c) => c.name === 'opsline_csrf')?.value ?? '';
    const logout = await page.request.post('/api/v1/auth/logout', { headers: { 'X-CSRF-Token': csrf }, data: {} });
    expect(logout.ok()).toBe(true);

    await page.getByTestId('menu-users-list').click();
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('redirect') === '/admin/users');
    await page.getByTestId('login-expired').waitFor();
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(server.adminPassword);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/admin\/users$/);
    await page.getByTestId('users-table').getByTestId('user-row-username').filter({ hasText: /^alice$/ }).waitFor();
  });

  it('signs out: back on the login page, and the session is gone', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('user-menu-logout').click();
    await page.waitForURL(/\/login/);
    await page.getByTestId('login-username').waitFor();
    await screenshot(page, 'en-login');
    const me = await page.request.get('/api/v1/auth/me');
    expect(me.status()).toBe(401);
  });

  it('tells a locked-out user when to try again', async () => {
    let status = 0;
    for (let attempt = 0; attempt < 5 && status !== 423; attempt++) {
      await page.getByTestId('login-username').fill('alice');
      await page.getByTestId('login-password').fill('wrong-password');
      const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
      await page.getByTestId('login-submit').click();
      status = (await answer).status();
    }
    expect(status).toBe(423);
    await page.getByTestId('login-error').filter({ hasText: /locked.*Try again after/ }).waitFor();
    await screenshot(page, 'en-login-locked');
  });

  it('logged no errors in the browser', () => {
    expect(problems).toEqual([]);
  });
});
