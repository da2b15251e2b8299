import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, headless; OPSLINE_CHROMIUM points elsewhere. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.OPSLINE_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
