import type { Browser, Page } from 'playwright-core';
import { launchChromium, newPage, signInAsDemo } from './browser';
import { startLedgerTestApp, type LedgerTestApp } from './ledger-test-app';
import { buildWebApp } from './web-build';
import { seedWebScenario } from './web-scenario';

/**
 * What a browser test of the pages stands on: the api with the demo users, the built web app and
 * the reference project, the web scenario's figures, and a headless chromium.
 */
export async function startWebTestApp(now?: Date): Promise<{ t: LedgerTestApp; browser: Browser }> {
  const t = await startLedgerTestApp(now, {
    LEDGER_DEMO_USERS: 'on',
    LEDGER_WEB_DIR: buildWebApp(),
    LEDGER_PROJECT_FILE: 'projects/07-003-P-0001.json',
  });
  await seedWebScenario(t);
  return { t, browser: await launchChromium() };
}

/** A new page signed in as a demo role, then at `path`. */
export async function openAs(
  browser: Browser,
  base: string,
  role: RegExp,
  path: string,
  locale: 'lt' | 'en' = 'lt',
): Promise<{ page: Page; errors: string[] }> {
  const opened = await newPage(browser, base, locale);
  await signInAsDemo(opened.page, base, role);
  await opened.page.goto(`${base}${path}`);
  return opened;
}
