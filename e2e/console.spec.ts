import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiChange } from './support/api';
import { openConsole, type ConsoleSession } from './support/console';
import { screenshot } from './support/screenshots';
import type { RunningServer } from './support/server';
import { exactly } from './support/text';

/** Each console page: how to open it, and what shows it loaded with real data. */
interface ConsolePage {
  name: string;
  open: (page: Page) => Promise<void>;
  loaded: (page: Page) => Promise<void>;
}

const menu = (route: string) => async (page: Page) => {
  await page.getByTestId(`menu-${route}`).click();
};

/** The credential the tests store, and its value, which must never appear again. */
const SECRET = { name: 'ci/deploy-token', value: 'e2e-Vx7q-never-shown-3f9c' };

const secretRow = (page: Page, name: string) => page.getByTestId('secrets-table').getByTestId('secret-row-name').filter({ hasText: exactly(name) });

/** `window.getComputedStyle`, for code run in the page (the e2e is typed without the DOM library). */
interface StyleReader {
  getComputedStyle(el: unknown): { getPropertyValue(name: string): string };
}

/** Neither the page's markup nor its text holds `value`. */
async function expectNowhere(page: Page, value: string): Promise<void> {
  expect(await page.content()).not.toContain(value);
  expect(await page.locator('body').innerText()).not.toContain(value);
}

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
    name: 'secrets',
    open: menu('secrets-list'),
    loaded: (page) => secretRow(page, SECRET.name).waitFor(),
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

  it('stores a credential: the name is checked, and the value is never shown again', async () => {
    await page.getByTestId('menu-secrets-list').click();
    await page.getByTestId('secrets-table').waitFor();
    await page.getByTestId('secret-create').click();
    const modal = page.getByTestId('secret-modal');
    await page.getByTestId('secret-form-name').fill('Bad Name');
    await page.getByTestId('secret-form-submit').click();
    await modal.locator('.n-form-item-feedback--error').filter({ hasText: '只能包含小写字母' }).waitFor();
    await modal.locator('.n-form-item-feedback--error').filter({ hasText: '必填' }).waitFor();

    await page.getByTestId('secret-form-name').fill(SECRET.name);
    await page.getByTestId('secret-form-description').fill('CI 部署用的令牌');
    await page.getByTestId('secret-form-value').fill(SECRET.value);
    // Masked until asked for.
    const masked = () =>
      page.getByTestId('secret-form-value').evaluate((el) => (globalThis as unknown as StyleReader).getComputedStyle(el).getPropertyValue('-webkit-text-security'));
    expect(await masked()).toBe('disc');
    await screenshot(page, 'zh-secret-modal');
    await page.getByTestId('secret-form-value-toggle').click();
    expect(await masked()).toBe('none');
    await screenshot(page, 'zh-secret-modal-shown');
    await page.getByTestId('secret-form-submit').click();
    await modal.waitFor({ state: 'detached' });
    await secretRow(page, SECRET.name).waitFor();
    await screenshot(page, 'zh-secrets-created');
    await expectNowhere(page, SECRET.value);
    expect(await (await page.request.get('/api/v1/secrets')).text()).not.toContain(SECRET.value);

    // The same name again: 409, said on the name field in Chinese.
    await page.getByTestId('secret-create').click();
    await page.getByTestId('secret-form-name').fill(SECRET.name);
    await page.getByTestId('secret-form-value').fill('another-value');
    await page.getByTestId('secret-form-submit').click();
    await modal.locator('.n-form-item-feedback--error').filter({ hasText: '已存在同名凭据' }).waitFor();
    await screenshot(page, 'zh-secret-modal-exists');
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'detached' });
  });

  it('tells on the timeline in Chinese what happened', async () => {
    const created = await apiChange(context, 'POST', '/api/v1/users', { username: 'bob', password: 'bob-pass-123' });
    expect(created.status()).toBe(201);
    await page.getByTestId('menu-events-timeline').click();
    const texts = page.getByTestId('timeline-item-text');
    await texts.filter({ hasText: /^admin 创建了用户 bob$/ }).waitFor();
    await texts.filter({ hasText: `admin 存储了凭据 ${SECRET.name}` }).waitFor();
    await texts.filter({ hasText: /^Opsline .+ 已启动（数据库：pglite）$/ }).first().waitFor();
    await texts.filter({ hasText: /^系统 创建了用户 admin$/ }).waitFor();
    // The type filter names each type in Chinese, with its code.
    await page.locator('.toolbar__type').click();
    await page.locator('.n-base-select-option').filter({ hasText: '创建用户 (user.created)' }).waitFor();
    await screenshot(page, 'zh-timeline-type-filter');
    await page.keyboard.press('Escape');
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

  it('replaces a credential\'s value, refuses a taken name, and deletes naming it', async () => {
    await page.goto('/admin/secrets');
    await secretRow(page, SECRET.name).waitFor();

    await page.getByTestId('secret-create').click();
    const modal = page.getByTestId('secret-modal');
    await page.getByTestId('secret-form-name').fill(SECRET.name);
    await page.getByTestId('secret-form-value').fill('another-value');
    await screenshot(page, 'en-secret-modal');
    await page.getByTestId('secret-form-submit').click();
    await modal.locator('.n-form-item-feedback--error').filter({ hasText: 'A credential with this name already exists' }).waitFor();
    await screenshot(page, 'en-secret-modal-exists');
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'detached' });

    const rotated = 'e2e-rotated-Qm4z-also-hidden';
    await page.getByTestId('secret-rotate').click();
    await page.getByTestId('secret-form-value').fill(rotated);
    await screenshot(page, 'en-secret-rotate');
    await page.getByTestId('secret-form-submit').click();
    await modal.waitFor({ state: 'detached' });
    await expectNowhere(page, rotated);

    await page.getByTestId('secret-more').click();
    await page.getByTestId('secret-edit').click();
    await page.getByTestId('secret-form-description').fill('Deploy token of the CI');
    await screenshot(page, 'en-secret-edit');
    await page.getByTestId('secret-form-submit').click();
    await modal.waitFor({ state: 'detached' });
    await page.getByTestId('secrets-table').getByText('Deploy token of the CI').waitFor();

    await page.goto('/events');
    const texts = page.getByTestId('timeline-item-text');
    await texts.filter({ hasText: `admin replaced the value of credential ${SECRET.name}` }).waitFor();
    await texts.filter({ hasText: `admin edited credential ${SECRET.name}` }).waitFor();
    await texts.filter({ hasText: /^admin created user bob$/ }).waitFor();
    await screenshot(page, 'en-timeline-secrets');

    await page.goto('/admin/secrets');
    await page.getByTestId('secret-more').click();
    await page.getByTestId('secret-delete').click();
    await page.locator('.n-dialog').filter({ hasText: `Delete the credential ${SECRET.name}?` }).waitFor();
    await screenshot(page, 'en-secret-delete');
    await page.getByTestId('confirm-ok').click();
    await secretRow(page, SECRET.name).waitFor({ state: 'detached' });
    await page.getByTestId('secrets-table').locator('.n-empty').waitFor();
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
    expect(session.problems).toEqual([]);
  });
});
