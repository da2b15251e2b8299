import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from './paths';

export const screenshotDir = join(repoRoot, '.test-artifacts/screenshots');

/**
 * A full-page screenshot, for a person to look at; nothing compares them.
 * Lists mark themselves `data-loading="true"` while fetching: wait that out
 * (network idle never comes while the live event stream is open).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.locator('[data-loading="true"]').first().waitFor({ state: 'detached', timeout: 15_000 });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true, animations: 'disabled' });
}
