import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatHa } from '../../web/format.js';
import { type PageEvents, launchChromium, openPage, screenshot } from '../helpers/browser.js';
import { type OfflineServer, startOffline, warmUp } from '../helpers/offline-server.js';
import type { StacServer } from '../helpers/stac-server.js';
import { AOI, startFixtureServer } from '../helpers/stac-setup.js';

/**
 * The web map with asynchronous analyses: `npm start` with a sync limit of one pixel, so every
 * analysis is queued (202) and run by the local worker. The page shows the progress it reports,
 * keeps the id in its address so a reload resumes, and starts one analysis per submission. A
 * fixture STAC catalog (test/helpers/stac-setup.ts) gives the place-and-dates form a series.
 */
describe('web map, asynchronous analyses (Chromium against serverless offline)', () => {
  let server: OfflineServer;
  let catalog: StacServer;
  let browser: Browser;
  let page: Page;
  let events: PageEvents;
  const posts: Array<{ idempotencyKey?: string; status?: number }> = [];
  /** When the page asked `GET /api/analyses/<id>`, per id (ms). */
  const statusQuestions = new Map<string, number[]>();

  const progressSeen = () => page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
  const idInAddress = () => /#\/analyses\/([0-9a-f]{20})$/.exec(page.url())?.[1];
  const chooseSample = async (method: string) => {
    await page.check('input[name="mode"][value="key"]');
    const options = page.locator('#analysis-form details');
    if ((await options.getAttribute('open')) === null) await options.locator('summary').click();
    await page.selectOption('select[name="method"]', method);
  };

  beforeAll(async () => {
    ({ server: catalog } = await startFixtureServer());
    const settings = { KELPIE_SYNC_MAX_PIXELS: '1', KELPIE_PROGRESS_INTERVAL_MS: '0', KELPIE_STAC_URL: catalog.earthSearchUrl, KELPIE_OUTBOUND_HOSTS: '127.0.0.1' };
    [server, browser] = await Promise.all([startOffline('web-async', settings), launchChromium()]);
    await warmUp(server.base);
    ({ page, events } = await openPage(browser));
    // Every text the progress panel shows, in order (the panel changes faster than a test polls).
    await page.addInitScript(() => {
      const seen: string[] = ((window as unknown as { __progress: string[] }).__progress = []);
      new MutationObserver(() => {
        const text = document.querySelector('#job:not([hidden]) .progress-text')?.textContent;
        if (text && seen[seen.length - 1] !== text) seen.push(text);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    page.on('request', (request) => {
      const id = /\/api\/analyses\/([0-9a-f]{20})$/.exec(new URL(request.url()).pathname)?.[1];
      if (id && request.method() === 'GET') statusQuestions.set(id, [...(statusQuestions.get(id) ?? []), Date.now()]);
    });
    page.on('response', (response) => {
      const request = response.request();
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/analyses') posts.push({ idempotencyKey: request.headers()['idempotency-key'], status: response.status() });
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await catalog?.close();
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') console.log(`requests so far:\n${events.requests.join('\n')}`);
    expect(events.errors, 'script errors').toEqual([]);
    expect(events.cspViolations, 'CSP violations').toEqual([]);
    expect(events.dialogs, 'dialogs').toEqual([]);
  });

  it('shows the progress of a queued analysis, then its result; one Idempotency-Key per submission; asks at the Retry-After pace', async () => {
    await page.goto(`${server.base}/`);
    await chooseSample('kd');
    await page.dblclick('#run'); // a double click is one submission
    await page.locator('[data-figure="area"]').waitFor({ timeout: 90_000 });
    const id = idInAddress();
    const result = (await (await fetch(`${server.base}/api/analyses/${id}`)).json()) as { kelp: { areaHa: number } };
    await expect(page.locator('[data-figure="area"]').textContent()).resolves.toBe(formatHa(result.kelp.areaHa));
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ status: 202, idempotencyKey: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const seen = await progressSeen();
    console.log(`progress shown: ${seen.join(' → ')}`);
    // The server's 202s say Retry-After: 2; the page waits at least that long between questions.
    const asked = statusQuestions.get(id as string) ?? [];
    const gaps = asked.slice(1).map((at, i) => at - asked[i]);
    console.log(`status questions: ${asked.length}, ${gaps.join(', ')} ms apart`);
    expect(asked.length).toBeGreaterThan(0);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1900);
    expect(seen[0]).toMatch(/^Starting the analysis/);
    expect(seen.some((text) => /^(Waiting to start|Running)/.test(text))).toBe(true);
    await page.locator('img.kelp-overlay').waitFor({ state: 'attached' });
    await screenshot(page, '08-async-result');
  });

  it('comes back to a running analysis after a reload (its id is in the address)', async () => {
    const previous = idInAddress();
    await chooseSample('fai');
    await page.click('#run');
    await page.waitForFunction((before) => /#\/analyses\/[0-9a-f]{20}$/.test(window.location.hash) && !window.location.hash.endsWith(before as string), previous);
    const id = idInAddress();
    await page.reload();
    await page.locator('[data-figure="area"]').waitFor({ timeout: 90_000 });
    expect(idInAddress()).toBe(id);
    const result = (await (await fetch(`${server.base}/api/analyses/${id}`)).json()) as { method: { name: string }; kelp: { areaHa: number } };
    expect(result.method.name).toBe('fai');
    await expect(page.locator('[data-figure="area"]').textContent()).resolves.toBe(formatHa(result.kelp.areaHa));
    console.log(`after the reload: ${(await progressSeen()).join(' → ')}`);
    expect(posts).toHaveLength(2);
  });

  it('analyses a point over a date range as a series and charts kelp area by date', async () => {
    await page.check('input[name="mode"][value="point"]');
    await page.fill('input[name="lat"]', String(AOI.kelp.lat));
    await page.fill('input[name="lng"]', String(AOI.kelp.lng));
    await page.fill('input[name="bufferKm"]', '1');
    await page.fill('input[name="start"]', '2023-06-01');
    await page.fill('input[name="end"]', '2023-08-31');
    await page.fill('input[name="maxCloudCover"]', '30');
    await page.check('input[name="series"]');
    await page.click('#run');
    await page.locator('svg.chart').waitFor({ timeout: 120_000 });
    const id = idInAddress();
    const series = (await (await fetch(`${server.base}/api/analyses/${id}`)).json()) as { kind: string; scenes: Array<{ date: string; kelpAreaHa?: number }> };
    expect(series.kind).toBe('series');
    const analysed = series.scenes.filter((scene) => scene.kelpAreaHa !== undefined);
    expect(analysed.length).toBeGreaterThan(1);
    await expect(page.locator('svg.chart circle').count()).resolves.toBe(analysed.length);
    const titles = await page.locator('svg.chart circle title').allTextContents();
    expect(titles).toEqual(analysed.map((scene) => `${scene.date}: ${formatHa(scene.kelpAreaHa as number)}`));
    await expect(page.locator('table.scenes tbody tr').count()).resolves.toBe(series.scenes.length);
    await screenshot(page, '09-series');
    await page.locator('table.scenes button', { hasText: 'Open' }).first().click();
    await page.locator('[data-figure="area"]').waitFor();
    await screenshot(page, '10-series-scene');
  });
});
