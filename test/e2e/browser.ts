// Debian's Chromium driven by playwright-core; never a downloaded browser. Requests that leave this machine fail.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const ARTIFACTS = path.resolve(__dirname, '../artifacts');

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
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

/** A phone-sized page that records console errors and refuses every request to a host that is not loopback. */
export async function openPage(browser: Browser, mobile: boolean) {
  const context = await browser.newContext(
    mobile
      ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
      : { viewport: { width: 1280, height: 800 } },
  );
  const offMachine: string[] = [];
  const pageErrors: string[] = [];
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    if (['127.0.0.1', 'localhost', '[::1]'].includes(host)) return route.continue();
    offMachine.push(route.request().url());
    return route.abort();
  });
  const page: Page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  return { page, offMachine, pageErrors, close: () => context.close() };
}
