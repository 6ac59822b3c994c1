import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (apt-get install chromium), headless, driven by playwright-core. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Chromium 156 starts the omnibox popup's WebUI page in every new context (~0.8 CPU-s beside the
 * page under test, which a user's browser pays once): the tests open a context per page.
 */
export const WITHOUT_OMNIBOX_POPUP = '--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup';

export function launchChromium(args: readonly string[] = [WITHOUT_OMNIBOX_POPUP]): Promise<Browser> {
  // The sandbox needs user namespaces, which containers and root shells often lack.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, chromiumSandbox: false, args: [...args] });
}

/**
 * A page at the size the screenshots are taken at, collecting the console errors (CSP refusals
 * among them) of the ledger's own pages at `origin` (the test provider's pages are not ours).
 */
export async function newPage(
  browser: Browser,
  origin: string,
  locale: 'lt' | 'en' = 'lt',
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  if (locale === 'en') await context.addInitScript("localStorage.setItem('ihl.locale', 'en')");
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && page.url().startsWith(origin)) errors.push(m.text());
  });
  page.on('pageerror', (e) => {
    if (page.url().startsWith(origin)) errors.push(e.message);
  });
  return { page, errors };
}

/**
 * Through the provider's own pages: the ledger's sign-in link, the provider's login form (the test
 * provider takes any password) and its consent page, back to the ledger.
 */
export async function signInWithProvider(page: Page, base: string, login: string): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.getByRole('link', { name: /tapatybės teikėją|identity provider/ }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any-password');
  await page.locator('button[type="submit"]').click();
  await page.locator('button[type="submit"]', { hasText: 'Continue' }).click();
  await page.waitForURL((url) => url.origin === new URL(base).origin && url.pathname === '/');
}

/** The demo sign-in page's button for a role. */
export async function signInAsDemo(page: Page, base: string, roleLabel: RegExp): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.getByRole('button', { name: roleLabel }).click();
  await page.waitForURL((url) => url.pathname === '/');
}

/**
 * Waits until `check` (run here, usually over locators) holds. Not `page.waitForFunction`: it polls
 * by `eval`, which the app's Content-Security-Policy (no 'unsafe-eval') refuses whenever its first
 * check is false.
 */
export async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`still not so after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
