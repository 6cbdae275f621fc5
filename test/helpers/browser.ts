import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type BrowserContext, type Page, type Request, chromium } from 'playwright-core';
import { REPO_ROOT } from './serverless.js';

/** Where the browser tests save their screenshots (gitignored). */
export const SCREENSHOTS = path.join(REPO_ROOT, '.scratch/screenshots');

/**
 * Chromium's flags for tests: headless, no sandbox (containers run as root), no GPU, no
 * /dev/shm (small in containers), and nothing that calls home or updates itself mid-run.
 */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** Debian's Chromium (`scripts/ensure-tools.sh` installs it), or an error saying how to get it. */
export function chromiumPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('no chromium on PATH; install it with `sudo apt-get install -y chromium` (scripts/ensure-tools.sh does, as root)');
  }
}

/** What a page did that a test may want to fail on: script errors, CSP violations, dialogs. */
export interface PageEvents {
  errors: string[];
  cspViolations: string[];
  dialogs: string[];
  /** Console errors other than failed loads the test provoked itself. */
  consoleErrors: string[];
  /** Every request the page made, with its status and time taken: printed when a test fails. */
  requests: string[];
}

/**
 * Launches Chromium through playwright-core with {@link CHROMIUM_ARGS}.
 *
 * @example
 * ```ts
 * const browser = await launchChromium();
 * const { page, events } = await openPage(browser, { width: 1280, height: 800 });
 * ```
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}

/**
 * A new context and page at `viewport`, recording errors, CSP violations (reported by the page
 * as `securitypolicyviolation` events) and dialogs; any dialog is dismissed so nothing hangs.
 */
export async function openPage(browser: Browser, viewport = { width: 1280, height: 860 }, options: { isMobile?: boolean } = {}): Promise<{ context: BrowserContext; page: Page; events: PageEvents }> {
  const context = await browser.newContext({ viewport, acceptDownloads: true, isMobile: options.isMobile ?? false, hasTouch: options.isMobile ?? false, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const events: PageEvents = { errors: [], cspViolations: [], dialogs: [], consoleErrors: [], requests: [] };
  const started = new Map<unknown, number>();
  page.on('request', (request) => started.set(request, Date.now()));
  const finished = (request: Request, outcome: string) =>
    events.requests.push(`${request.method()} ${request.url().replace(/^https?:\/\/[^/]+/, '')} ${outcome} ${Date.now() - (started.get(request) ?? Date.now())} ms`);
  page.on('requestfinished', async (request) => finished(request, String((await request.response())?.status())));
  page.on('requestfailed', (request) => finished(request, `failed (${request.failure()?.errorText})`));
  page.on('pageerror', (error) => events.errors.push(error.message));
  page.on('dialog', (dialog) => {
    events.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (message.type() === 'error') events.consoleErrors.push(message.text());
  });
  await page.exposeFunction('__kelpieCspViolation', (text: string) => events.cspViolations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { __kelpieCspViolation(text: string): void }).__kelpieCspViolation(`${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  return { context, page, events };
}

/** Saves a screenshot (the whole page unless `fullPage` is false) as `.scratch/screenshots/<name>.png`; returns the path. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}
