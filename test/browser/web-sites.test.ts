import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type PageEvents, launchChromium, openPage, screenshot } from '../helpers/browser.js';
import { type OfflineServer, startOffline, warmUp } from '../helpers/offline-server.js';
import { DECLINE_SCENES, declineItems, declineSceneDirs, declineSitePolygon } from '../helpers/site-fixtures.js';
import { type StacServer, startStacServer } from '../helpers/stac-server.js';

/**
 * The web map's Sites view, in Chromium against `npm start` (serverless offline with the local
 * worker) and the STAC fixture server holding a bed in decline: a site backfilled by the worker
 * shows every observation as a point (the cloudy one hollow), the quarters with the trend line
 * and the alert that fired; an observation opens its analysis on the map; a place typed in the
 * form becomes a new site.
 */
const SINCE = '2022-07-01';
const EXPECTED = DECLINE_SCENES.filter((s) => s.datetime >= SINCE);

describe('web map, monitored sites (Chromium against serverless offline)', () => {
  let server: OfflineServer;
  let catalog: StacServer;
  let browser: Browser;
  let page: Page;
  let events: PageEvents;
  let siteId: string;

  beforeAll(async () => {
    catalog = await startStacServer({ earthSearch: declineItems, planetaryComputer: () => [], files: await declineSceneDirs(), pageSize: 10 });
    [server, browser] = await Promise.all([startOffline('web-sites', { KELPIE_STAC_URL: catalog.earthSearchUrl, KELPIE_OUTBOUND_HOSTS: '127.0.0.1' }), launchChromium()]);
    await warmUp(server.base);
    const created = await fetch(`${server.base}/api/sites`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Declining bed', aoi: declineSitePolygon(), since: SINCE, alert: { thresholdPercent: 20 } }),
    });
    siteId = ((await created.json()) as { id: string }).id;
    // The local worker backfills the site; the page is opened once every scene is observed.
    for (const deadline = Date.now() + 240_000; Date.now() < deadline; ) {
      const series = (await (await fetch(`${server.base}/api/sites/${siteId}/series`)).json()) as { counts: { observations: number } };
      const alerts = (await (await fetch(`${server.base}/api/alerts`)).json()) as { items: unknown[] };
      if (series.counts.observations === EXPECTED.length && alerts.items.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    ({ page, events } = await openPage(browser));
  }, 400_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await catalog?.close();
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') console.log(`requests so far:\n${events.requests.join('\n')}`);
    expect(events.errors, 'script errors').toEqual([]);
    expect(events.cspViolations, 'CSP violations').toEqual([]);
  });

  it('shows a site: every observation a point, the cloudy one hollow, the trend line and one alert marker', async () => {
    await page.goto(`${server.base}/`);
    await page.click(`button[data-site="${siteId}"]`);
    const chart = page.locator('#results svg.site-chart');
    await chart.waitFor();
    await expect(chart.locator('circle.obs').count()).resolves.toBe(EXPECTED.length);
    await expect(chart.locator('circle.obs.flagged').count()).resolves.toBe(EXPECTED.filter((s) => s.sky !== 'clear').length);
    await expect(chart.locator('rect.quarter').count()).resolves.toBe(new Set(EXPECTED.map((s) => s.quarter)).size);
    await expect(chart.locator('line.trend-line').count()).resolves.toBe(1);
    await expect(chart.locator('path.alert-marker').count()).resolves.toBe(1);
    await expect(page.locator('[data-figure="trend"]').textContent()).resolves.toMatch(/^Trend: decline, -[\d.,]+ ha a year \(-[\d.]+ % of the baseline a year\); Mann–Kendall p = /);
    await expect(page.locator('#results tbody tr').count()).resolves.toBe(EXPECTED.length);
    await expect(page.locator('path.scene-bounds').count()).resolves.toBe(1);
    await screenshot(page, 'web-sites-site');
  });

  it('opens an observation’s analysis on the map', async () => {
    const scene = EXPECTED.find((s) => s.sky === 'clear')!;
    await page.click(`#results tr[data-scene="${scene.id}"] button`);
    await page.locator('[data-figure="area"]').waitFor({ timeout: 60_000 });
    expect(page.url()).toMatch(/#\/analyses\/[0-9a-f]{20}$/);
    await page.locator('img.kelp-overlay').waitFor();
  });

  it('watches a typed place as a new site, and says what is wrong with a place it cannot watch', async () => {
    await page.goto(`${server.base}/`);
    await page.check('input[name="mode"][value="point"]');
    await page.fill('input[name="lat"]', '36.66');
    await page.fill('input[name="lng"]', '-121.96');
    await page.fill('input[name="bufferKm"]', '0.5');
    await page.fill('#site-name', 'Typed place');
    await page.click('#watch-site');
    await page.locator('#results h2', { hasText: 'Typed place' }).waitFor();
    await expect(page.locator('.sites-list button', { hasText: 'Typed place' }).count()).resolves.toBe(1);

    await page.fill('input[name="bufferKm"]', '20');
    await page.fill('#site-name', 'Too big');
    await page.click('#watch-site');
    await page.locator('#sites-error:not([hidden])').waitFor();
    await expect(page.locator('#sites-error').textContent()).resolves.toMatch(/km²/);
    await expect(page.locator('.sites-list button', { hasText: 'Too big' }).count()).resolves.toBe(0);
  });
});
