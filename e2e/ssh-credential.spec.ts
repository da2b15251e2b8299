import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiChange } from './support/api';
import { openConsole, signInAsAdmin, type ConsoleSession } from './support/console';
import { screenshot } from './support/screenshots';
import type { RunningServer } from './support/server';
import { exactly } from './support/text';

const HOSTNAME = 'agentless-01';
const IP = '10.8.0.21';
const PASSWORD = 'e2e-ssh-secret-9';
/** A fingerprint as `ssh-keygen -l` prints it: SHA256 and 43 base64 characters. */
const HOST_KEY = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';

const hostRow = (page: Page) => page.getByTestId('hosts-table').locator('tr', { has: page.getByTestId('host-row-hostname').filter({ hasText: exactly(HOSTNAME) }) });
const fieldError = (page: Page, path: string) => page.getByTestId('ssh-form').locator(`.n-form-item:has([data-testid="${path}"]) .n-form-item-feedback--error`);

describe('the SSH credential of an agentless host', () => {
  let session: ConsoleSession;
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;

  async function openDrawer(): Promise<void> {
    await hostRow(page).getByTestId('host-more').click();
    await page.getByTestId('host-ssh').click();
    await page.getByTestId('ssh-drawer').waitFor();
  }

  beforeAll(async () => {
    session = await openConsole();
    ({ server, context, page } = session);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('signs in and adds a host without an agent', async () => {
    await signInAsAdmin(page, server);
    const made = await apiChange(context, 'POST', '/api/v1/hosts', { hostname: HOSTNAME, ips: [IP, '10.8.0.22'] });
    expect(made.status()).toBe(201);
  });

  it('says the host has none, and names what is wrong before anything is sent', async () => {
    await page.getByTestId('menu-cmdb-hosts').click();
    await hostRow(page).waitFor();
    await openDrawer();
    await page.getByTestId('ssh-none').filter({ hasText: exactly('无——这台主机只能通过 Agent 访问。') }).waitFor();

    let posted = 0;
    page.on('request', (req) => {
      if (req.method() === 'POST' && req.url().endsWith('/ssh-credential')) posted += 1;
    });
    await page.getByTestId('ssh-form-username').fill('deploy');
    await page.getByTestId('ssh-form-port').fill('70000');
    await page.getByTestId('ssh-form-hostkey').fill('md5:aa:bb');
    await page.getByTestId('ssh-form-submit').click();
    await fieldError(page, 'ssh-form-port').filter({ hasText: exactly('不能大于 65535') }).waitFor();
    await fieldError(page, 'ssh-form-hostkey').filter({ hasText: exactly('格式为 SHA256: 加 43 个字符，即 ssh-keygen -l 的输出') }).waitFor();
    await fieldError(page, 'ssh-form-password').filter({ hasText: exactly('必填') }).waitFor();
    await screenshot(page, 'zh-ssh-credential-errors');
    expect(posted).toBe(0);
  });

  it('saves a password credential and shows it, never its password', async () => {
    await page.getByTestId('ssh-form-port').fill('2222');
    await page.getByTestId('ssh-form-hostkey').fill(HOST_KEY);
    await page.getByTestId('ssh-form-password').fill(PASSWORD);
    await page.getByTestId('ssh-form-submit').click();
    await page.getByTestId('ssh-current-target').filter({ hasText: exactly(`deploy@${IP}:2222`) }).waitFor();
    expect(await page.getByTestId('ssh-current-method').innerText()).toBe('密码');
    expect(await page.getByTestId('ssh-current-hostkey').innerText()).toBe(HOST_KEY);
    // The form starts again from the saved credential, its secret empty.
    expect(await page.getByTestId('ssh-form-password').inputValue()).toBe('');
    expect(await page.getByTestId('ssh-form-port').inputValue()).toBe('2222');
    expect(await page.content()).not.toContain(PASSWORD);
    await screenshot(page, 'zh-ssh-credential');

    // Opened again, it comes from the server.
    await page.keyboard.press('Escape');
    await page.getByTestId('ssh-drawer').waitFor({ state: 'detached' });
    await openDrawer();
    await page.getByTestId('ssh-current-target').filter({ hasText: exactly(`deploy@${IP}:2222`) }).waitFor();
  });

  it('reads in English too', async () => {
    await page.keyboard.press('Escape');
    await page.getByTestId('ssh-drawer').waitFor({ state: 'detached' });
    await page.getByTestId('locale-switch').click();
    await page.getByTestId('locale-en').click();
    await page.getByTestId('locale-en').waitFor({ state: 'detached' });
    await openDrawer();
    await page.getByTestId('ssh-current-method').filter({ hasText: exactly('Password') }).waitFor();
    await page.getByTestId('ssh-form-method-key').click();
    await page.getByTestId('ssh-form-key').fill('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBlah user@host');
    await page.getByTestId('ssh-form-submit').click();
    await fieldError(page, 'ssh-form-key').filter({ hasText: 'not the public key' }).waitFor();
    await screenshot(page, 'en-ssh-credential');
  });

  it('deletes it after asking', async () => {
    await page.getByTestId('ssh-delete').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('ssh-none').filter({ hasText: exactly('None — this host can only be reached by an agent.') }).waitFor();
    const res = await context.request.get(`/api/v1/hosts?q=${HOSTNAME}`);
    const [host] = ((await res.json()) as { items: { id: string }[] }).items;
    expect((await context.request.get(`/api/v1/hosts/${host?.id ?? ''}/ssh-credential`)).status()).toBe(404);
  });

  it('logged no errors', () => {
    expect(session.problems).toEqual([]);
  });
});
