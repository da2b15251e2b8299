import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { startServer, type RunningServer } from './server';
import { ensureBuilt } from './web-build';

/** A real server and one page of the console on it, in a Chinese browser. */
export interface ConsoleSession {
  server: RunningServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Errors the page logged; a spec's last test expects none. */
  problems: string[];
  close: () => Promise<void>;
}

/**
 * Builds the console if stale, starts a server with a fresh data dir, and
 * opens a page on it (zh-CN, 1440×900: the console starts in Chinese by itself).
 */
export async function openConsole(): Promise<ConsoleSession> {
  ensureBuilt();
  const server = await startServer();
  const browser = await launchBrowser().catch(async (err: unknown) => {
    await server.stop();
    throw err;
  });
  const context = await browser.newContext({ baseURL: server.baseUrl, locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => {
    // Chromium logs every 4xx answer as a failed resource; the tests provoke some on purpose
    // (/auth/me signed out, a wrong password, a taken username). A 5xx is still a problem.
    if (msg.type() === 'error' && !/status of 4\d\d/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return {
    server,
    browser,
    context,
    page,
    problems,
    close: async () => {
      await browser.close();
      await server.stop();
    },
  };
}

/** Signs in as admin on the login page and waits for the console. */
export async function signInAsAdmin(page: Page, server: RunningServer): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill(server.adminPassword);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('side-menu').waitFor();
}
