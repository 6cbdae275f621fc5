import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page, Request, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_LABELS } from '../../core/report/labels.js';
import { inPlainWords } from '../../core/report/plain-words.js';
import { BASEMAP_COLOURS } from '../../web/basemap-data.js';
import { formatHa, formatHaFromM2, formatNumber, formatPercent, formatRangeTonnes } from '../../web/format.js';
import { MESSAGES } from '../../web/messages.js';
import { type PageEvents, launchChromium, openPage, screenshot } from '../helpers/browser.js';
import { internalNames } from '../helpers/internal-names.js';
import { type OfflineServer, startOffline, warmUp } from '../helpers/offline-server.js';
import { freePort } from '../helpers/processes.js';
import { REPO_ROOT } from '../helpers/serverless.js';
import { bundleSize, firstRenderMs, measureOverlay, mercatorAspect, pixelsOfColour, rgbOf, unlabelledControls } from '../helpers/web-page.js';

const API_KEY = 'web-map-test-key-0123456789abcdef';
const SAMPLE = path.join(REPO_ROOT, 'samples/coastal-sample.tif');
const XSS_NAME = '<img src=x onerror=alert(1)>.tif';

interface Result {
  id: string;
  kelp: { areaHa: number; beds: number; binaryAreaM2: number; fractionalAreaM2: number; areaMode: string };
  pixels: Record<'total' | 'kelp' | 'water' | 'coast' | 'land' | 'cloud' | 'shadow' | 'nodata', number>;
  biomass: Record<'wetKg' | 'dryKg', { low: number; central: number; high: number }>;
  carbon: Record<'kgC' | 'kgCO2e', { low: number; central: number; high: number }>;
  source: { uri: string };
  method: { name: string; thresholds: Record<string, number> };
  grid: { bboxWgs84: number[] };
  map?: { boundsWgs84: number[] };
  warnings: unknown[];
}

/**
 * The web map in Chromium against `npm start` (serverless offline, fs store, an API key): the
 * bundled sample analysed from the page, an upload, a hostile file name, an API error. Every test
 * fails on a script error, a CSP violation or a dialog. Screenshots go to .scratch/screenshots/.
 */
describe('web map (Chromium against serverless offline)', () => {
  let server: OfflineServer;
  let browser: Browser;
  let page: Page;
  let events: PageEvents;
  let sample: Result;

  /** A catalog nobody answers at (a closed port): what the page does when the catalog cannot be reached. */
  let deadCatalog: string;
  const api = async <T>(route: string) => (await fetch(`${server.base}${route}`, { headers: { 'x-api-key': API_KEY } })).json() as Promise<T>;
  const idInAddress = () => /#\/analyses\/([0-9a-f]{20})$/.exec(page.url())?.[1];
  const run = async () => {
    await page.click('#run');
    await page.waitForFunction(() => !(document.getElementById('run') as HTMLButtonElement).disabled);
  };
  const waitForResult = async () => {
    await page.locator('[data-figure="area"]').waitFor();
    await page.locator('img.kelp-overlay').waitFor({ state: 'attached' });
    await page.waitForFunction(() => (document.querySelector('img.kelp-overlay') as HTMLImageElement | null)?.complete === true);
  };

  beforeAll(async () => {
    deadCatalog = `127.0.0.1:${await freePort()}`;
    const settings = { KELPIE_API_KEYS: API_KEY, KELPIE_STAC_URL: `http://${deadCatalog}/v1`, KELPIE_OUTBOUND_HOSTS: '127.0.0.1' };
    [server, browser] = await Promise.all([startOffline('web-map', settings), launchChromium()]);
    await warmUp(server.base);
    ({ page, events } = await openPage(browser));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') {
      await screenshot(page, `failed-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`);
      console.log(`requests so far:\n${events.requests.join('\n')}`);
    }
    expect(events.errors, 'script errors').toEqual([]);
    expect(events.cspViolations, 'CSP violations').toEqual([]);
    expect(events.dialogs, 'dialogs').toEqual([]);
  });

  it('serves the page with a strict CSP and its hashed assets for a year; JSON clients still get the index', async () => {
    const response = await fetch(`${server.base}/`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    const { files, gzipBytes, rawBytes } = await bundleSize(server.base);
    console.log(`web map (script, style sheet, basemap): ${files.join(', ')}: ${(rawBytes / 1024).toFixed(1)} KiB, ${(gzipBytes / 1024).toFixed(1)} KiB gzipped`);
    expect(files).toHaveLength(3);
    expect(gzipBytes).toBeLessThan(400 * 1024);
    const asset = await fetch(`${server.base}/${files[0]}`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${server.base}/assets/app-NOTAHASH.js`)).status).toBe(404);
    const index = await fetch(`${server.base}/`, { headers: { accept: 'application/json' } });
    expect(await index.json()).toMatchObject({ service: 'kelpie-carbon' });
  });

  it('first load: no failing request, no console error, the coast drawn offline, and the key asked for in words (first render measured)', async () => {
    await warmUp(server.base);
    const asked: string[] = [];
    const failing: string[] = [];
    const onResponse = (response: Response) => {
      asked.push(new URL(response.url()).pathname);
      if (response.status() >= 400) failing.push(`${response.status()} ${response.url()}`);
    };
    const onFailed = (request: Request) => failing.push(`failed ${request.url()}`);
    page.on('response', onResponse);
    page.on('requestfailed', onFailed);
    await page.goto(`${server.base}/`);
    const timing = await firstRenderMs(page);
    console.log(`first render: ${timing.firstRender.toFixed(0)} ms (first contentful paint ${timing.firstContentfulPaint?.toFixed(0)} ms, DOMContentLoaded ${timing.domContentLoaded.toFixed(0)} ms)`);
    await expect.poll(() => page.locator('#api-key-hint').textContent()).toBe(MESSAGES.keyNeeded);
    await page.waitForFunction(() => document.querySelector('.leaflet-basemap-pane canvas') !== null);
    await page.waitForLoadState('networkidle');
    page.off('response', onResponse);
    page.off('requestfailed', onFailed);
    expect(failing, 'failing requests on first load').toEqual([]);
    expect(events.consoleErrors, 'console errors on first load').toEqual([]);
    expect(asked.filter((path) => path.startsWith('/api/analyses')), 'nothing asked that needs the key').toEqual([]);
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('api-key');
    await expect(page.locator('#map .leaflet-control-zoom').isVisible()).resolves.toBe(true);
    await expect(page.locator('#run').isVisible()).resolves.toBe(true);
    await expect(page.locator('.map-credit').textContent()).resolves.toContain('Natural Earth');
    const land = await pixelsOfColour(page, '#map', rgbOf(BASEMAP_COLOURS.land));
    console.log(`land colour on the world map: ${land.matching} of ${land.total} pixels`);
    expect(land.matching / land.total).toBeGreaterThan(0.05);
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, '01-first-render');
  });

  it('takes a point from a click and a box from a drag on the map, and the keyboard reaches the form', async () => {
    const map = (await page.locator('#map').boundingBox())!;
    await page.click('#pick-point');
    await expect(page.getAttribute('#pick-point', 'aria-pressed')).resolves.toBe('true');
    await page.mouse.click(map.x + map.width / 2, map.y + map.height / 2);
    expect(Number(await page.inputValue('input[name="lat"]'))).toBeGreaterThan(-90);
    await expect(page.locator('path.aoi').count()).resolves.toBe(1);
    await page.check('input[name="mode"][value="box"]');
    await page.click('#draw-box');
    await page.mouse.move(map.x + 200, map.y + 200);
    await page.mouse.down();
    await page.mouse.move(map.x + 300, map.y + 260, { steps: 5 });
    await page.mouse.up();
    const [west, south, east, north] = await Promise.all(['west', 'south', 'east', 'north'].map(async (name) => Number(await page.inputValue(`input[name="${name}"]`))));
    expect(west).toBeLessThan(east);
    expect(south).toBeLessThan(north);
    await expect(page.getAttribute('#draw-box', 'aria-pressed')).resolves.toBe('false');
    // Keyboard: without a key the focus starts in the key field; before it is the skip link,
    // which takes the focus to the form without changing the address.
    await page.reload();
    await page.locator('#api-key-hint').waitFor();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('api-key');
    await page.keyboard.press('Shift+Tab');
    await expect(page.evaluate(() => document.activeElement?.className)).resolves.toBe('skip');
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('panel');
    expect(new URL(page.url()).hash).toBe('');
  });

  it('checks a key when it is entered: a wrong one is said so at once, a right one accepted', async () => {
    await page.reload();
    await expect.poll(() => page.locator('#api-key-hint').textContent(), { timeout: 10_000 }).toBe(MESSAGES.keyNeeded);
    await page.fill('#api-key', 'not-the-key-0123456789');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#api-key-error').textContent(), { timeout: 10_000 }).toBe(MESSAGES.keyRejected);
    await expect(page.getAttribute('#api-key', 'aria-invalid')).resolves.toBe('true');
    await page.fill('#api-key', API_KEY);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#api-key-hint').textContent()).toBe(MESSAGES.keyAccepted);
    await page.locator('.history-list li').first().waitFor();
    await expect(page.locator('#api-key-error').isHidden()).resolves.toBe(true);
  });

  it('runs the bundled sample from the page; the figures on the page are the API result', async () => {
    await page.check('input[name="mode"][value="key"]');
    await expect(page.inputValue('input[name="key"]')).resolves.toBe('uploads/coastal-sample.tif');
    await run();
    await waitForResult();
    const id = idInAddress();
    expect(id).toBeDefined();
    sample = await api<Result>(`/api/analyses/${id}`);
    const figure = (key: string) => page.locator(`[data-figure="${key}"]`).textContent();
    await expect(figure('area')).resolves.toBe(formatHa(sample.kelp.areaHa));
    expect(await figure('area')).toContain(String(sample.kelp.areaHa));
    // Both areas side by side (the sample is analysed in binary mode), and which to report for what.
    expect(sample.kelp.areaMode).toBe('binary');
    await expect(figure('area-fractional')).resolves.toBe(formatHaFromM2(sample.kelp.fractionalAreaM2));
    await expect(page.locator('.areas .hint').textContent()).resolves.toMatch(/^Binary area counts every kelp pixel whole: report it as the extent.*Fractional area .*canopy cover/);
    // The observable share: every class of the scene with the API's counts.
    for (const key of ['kelp', 'water', 'coast', 'land', 'cloud', 'shadow', 'nodata'] as const) {
      if (sample.pixels[key] === 0) continue;
      await expect(page.locator(`[data-share="${key}"]`).textContent(), key).resolves.toContain(formatPercent(sample.pixels[key], sample.pixels.total));
    }
    await expect(figure('observable')).resolves.toContain(formatPercent(sample.pixels.water + sample.pixels.kelp, sample.pixels.total));
    await expect(page.locator('svg.share-bar rect').count()).resolves.toBeGreaterThanOrEqual(5);
    await expect(figure('beds')).resolves.toBe(formatNumber(sample.kelp.beds, 0));
    await expect(figure('wet')).resolves.toBe(formatRangeTonnes(sample.biomass.wetKg, 't'));
    await expect(figure('dry')).resolves.toBe(formatRangeTonnes(sample.biomass.dryKg, 't'));
    await expect(figure('carbon')).resolves.toBe(formatRangeTonnes(sample.carbon.kgC, 't C'));
    await expect(figure('co2e')).resolves.toBe(formatRangeTonnes(sample.carbon.kgCO2e, 't CO₂e'));
    const panel = (await page.locator('#results').textContent()) ?? '';
    expect(panel).toContain(sample.source.uri);
    expect(panel).toContain(`${METHOD_LABELS[sample.method.name]}:`);
    expect(panel).toContain(String(sample.method.thresholds.kd));
    expect(panel).toContain('Land or bright cloud when SWIR (B11) is above0.028 reflectance (Mora-Soto et al. 2020');
    expect(panel).toContain(`Acquired${MESSAGES.acquiredUnknown}`);
    // Words, not code names, anywhere on the page.
    expect(internalNames(await page.locator('body').innerText(), 'page')).toEqual([]);
    // True colour under the kelp from the start, with its legend line.
    await page.locator('img.layer-rgb').waitFor({ state: 'attached' });
    await page.waitForFunction(() => (document.querySelector('img.layer-rgb') as HTMLImageElement | null)?.complete === true);
    await expect(page.locator('.layers-panel').getByLabel('True colour', { exact: true }).isChecked()).resolves.toBe(true);
    const under = await page.evaluate(() => {
      const z = (selector: string) => Number(getComputedStyle((document.querySelector(selector) as HTMLElement).closest('.leaflet-pane') as HTMLElement).zIndex);
      return z('img.layer-rgb') < z('img.kelp-overlay');
    });
    expect(under, 'true colour is under the kelp').toBe(true);
    await expect(page.locator('.map-caption').textContent()).resolves.toMatch(/^Green: kelp canopy .* in true colour/);
    await screenshot(page, '02-sample-result');
  });

  it('draws the coast offline around the sample at regional zoom', async () => {
    const out = page.locator('.leaflet-control-zoom-out');
    for (let step = 0; step < 4; step++) {
      await out.click();
      await page.waitForTimeout(350);
    }
    const land = await pixelsOfColour(page, '#map', rgbOf(BASEMAP_COLOURS.land));
    console.log(`land colour around the sample, four zoom steps out: ${land.matching} of ${land.total} pixels`);
    expect(land.matching).toBeGreaterThan(2000);
    await screenshot(page, '02b-coast-around-sample', false);
    for (let step = 0; step < 4; step++) {
      await page.locator('.leaflet-control-zoom-in').click();
      await page.waitForTimeout(350);
    }
  });

  it('draws the kelp overlay exactly over the scene bounds, under the bed polygons', async () => {
    const placement = await measureOverlay(page);
    const bounds = sample.map?.boundsWgs84 ?? sample.grid.bboxWgs84;
    console.log(`overlay: ${JSON.stringify(placement)}; bounds ${JSON.stringify(bounds)} (${sample.map ? 'Web Mercator map images' : 'fallback: scene-grid PNG'})`);
    for (const side of ['left', 'top', 'width', 'height'] as const) expect(Math.abs(placement.image[side] - placement.outline[side])).toBeLessThanOrEqual(1.5);
    expect(placement.image.height / placement.image.width).toBeCloseTo(mercatorAspect(bounds), 2);
    expect(placement.beds).toBe(sample.kelp.beds);
    expect(placement.bedsOnKelp).toBe(placement.beds);
    expect(placement.kelpInBedBoxes / placement.kelpPixels).toBeGreaterThan(0.9);
    // Kelp pixels inside the bed polygons: as many as the API counts in beds, less ~2 % of edge
    // pixels that Leaflet's rounding of vertices to whole screen pixels (~1.3 px per 10 m pixel
    // here) puts outside. The scene-grid PNG stretched over its lat/lng box scores ~91 %.
    const beds = await api<{ features: Array<{ properties: { pixelCount: number } }> }>(`/api/analyses/${sample.id}/beds.geojson`);
    const inBeds = beds.features.reduce((sum, feature) => sum + feature.properties.pixelCount, 0) / sample.pixels.kelp;
    console.log(`kelp pixels inside bed polygons: ${((100 * placement.kelpInBeds) / placement.kelpPixels).toFixed(1)} % on the map, ${(100 * inBeds).toFixed(1)} % by the API's counts`);
    expect(placement.kelpInBeds / placement.kelpPixels).toBeGreaterThan(inBeds - 0.03);
    // A result with Web Mercator map images is drawn from them, not from the approximate fallback.
    if (sample.map) expect(await page.locator('.layers-panel .note').count(), 'the page fell back to the scene-grid PNG').toBe(0);
  });

  it('shows a bed’s area when its polygon is clicked', async () => {
    const beds = await api<{ features: Array<{ properties: { id: number; areaM2: number } }> }>(`/api/analyses/${sample.id}/beds.geojson`);
    const largest = beds.features.map((f) => f.properties).sort((a, b) => b.areaM2 - a.areaM2)[0];
    await page.locator('details.beds summary').click();
    await page.getByRole('button', { name: `Bed ${largest.id}: ${formatHa(largest.areaM2 / 10_000)}` }).click();
    await expect(page.locator('.bed-popup').textContent()).resolves.toContain(formatHa(largest.areaM2 / 10_000));
    await page.locator('.leaflet-popup-close-button').click();
    const path = page.locator('path.bed').first();
    await path.click({ force: true });
    // The previous popup fades out before Leaflet removes it: wait for the one that is open.
    await page.waitForFunction(() => document.querySelectorAll('.bed-popup').length === 1);
    await expect(page.locator('.bed-popup').textContent()).resolves.toMatch(/^Bed \d+[\d,.]+ ha \([\d,]+ m²\)/);
    await screenshot(page, '03-bed-popup');
  });

  it('keeps true colour under the kelp, with an opacity slider and a legend', async () => {
    const panel = page.locator('.layers-panel');
    await expect(panel.getByLabel('True colour', { exact: true }).isChecked()).resolves.toBe(true);
    await page.locator('img.layer-rgb').waitFor({ state: 'attached' });
    await page.getByLabel('Opacity of True colour').fill('50');
    await expect(page.locator('img.layer-rgb').evaluate((img) => getComputedStyle(img).opacity)).resolves.toBe('0.5');
    await screenshot(page, '04-layers');
  });

  it('downloads result.json, kelp-mask.tif and beds.geojson as the API serves them', async () => {
    for (const name of ['result.json', 'kelp-mask.tif', 'beds.geojson']) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-download="${name}"]`)]);
      expect(download.suggestedFilename()).toBe(`${sample.id}-${name}`);
      const bytes = await readFile(await download.path());
      const served = Buffer.from(await (await fetch(`${server.base}/api/analyses/${sample.id}/${name}`, { headers: { 'x-api-key': API_KEY } })).arrayBuffer());
      expect(bytes.equals(served), name).toBe(true);
      if (name === 'result.json') expect(JSON.parse(bytes.toString()).id).toBe(sample.id);
      if (name === 'kelp-mask.tif') expect([...bytes.subarray(0, 4)]).toEqual([0x49, 0x49, 0x2a, 0x00]);
      if (name === 'beds.geojson') expect(JSON.parse(bytes.toString()).features).toHaveLength(sample.kelp.beds);
    }
  });

  it('uploads a GeoTIFF through the page, with progress, and shows its result', async () => {
    await page.check('input[name="mode"][value="upload"]');
    await page.setInputFiles('#file', { name: 'Monterey Bay.tif', mimeType: 'image/tiff', buffer: await readFile(SAMPLE) });
    await run();
    await waitForResult();
    await expect(page.locator('#upload-progress .progress-text').textContent()).resolves.toMatch(/^Uploading “Monterey Bay\.tif”: 100 % of [\d.]+ MB$/);
    await expect(page.locator('#upload-progress').isHidden(), 'the upload progress box is hidden once the upload is done').resolves.toBe(true);
    const result = await api<Result>(`/api/analyses/${idInAddress()}`);
    expect(result.source.uri).toMatch(/^uploads\/[0-9a-f]{16}-Monterey_Bay\.tif$/);
    await expect(page.locator('[data-figure="area"]').textContent()).resolves.toBe(formatHa(result.kelp.areaHa));
  });

  it(`shows an image named ${XSS_NAME} as text and runs nothing`, async () => {
    await page.setInputFiles('#file', { name: XSS_NAME, mimeType: 'image/tiff', buffer: await readFile(SAMPLE) });
    await run();
    await waitForResult();
    await expect(page.locator('#upload-progress .progress-text').textContent()).resolves.toContain(`“${XSS_NAME}”`);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(events.dialogs).toEqual([]);
    await screenshot(page, '05-hostile-name');
  });

  it('shows a 422 from the API next to the image, in the API’s words', async () => {
    await page.setInputFiles('#file', { name: 'field-notes.tif', mimeType: 'image/tiff', buffer: Buffer.from('not a GeoTIFF, just notes\n'.repeat(20)) });
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/analyses') && r.request().method() === 'POST'), run()]);
    expect(response.status()).toBe(422);
    const { error } = (await response.json()) as { error: { message: string } };
    await expect.poll(() => page.locator('#source-error').textContent(), { timeout: 10_000 }).toBe(inPlainWords(error.message, 'page'));
    await expect(page.locator('#source-error').isVisible()).resolves.toBe(true);
    await expect(page.inputValue('#api-key')).resolves.toBe(API_KEY);
    await screenshot(page, '06-unusable-image');
  });

  it('shows why an upload could not be analysed when it is opened from the list', async () => {
    // As a user would: a file that is no GeoTIFF dropped into the uploads folder; the trigger rejects it.
    await writeFile(path.join(server.dataDir, 'uploads', 'survey notes.tif'), 'field notes, not an image\n'.repeat(40));
    const entry = page.locator('.history-list .group', { hasText: 'survey notes.tif' }).locator('li[data-id]');
    await expect
      .poll(async () => {
        await page.click('#key-form button[type="submit"]'); // "Use key" loads the list again
        await page.waitForTimeout(500);
        return entry.locator('.how.failed').count();
      }, { timeout: 30_000 })
      .toBe(1);
    const id = (await entry.getAttribute('data-id')) as string;
    await expect(entry.locator('.how').textContent()).resolves.toBe(MESSAGES.rejectedUpload);
    const status = await api<{ status: string; error: { code: string; message: string } }>(`/api/analyses/${id}`);
    expect(status).toMatchObject({ status: 'failed', error: { code: 'NOT_A_TIFF' } });
    await entry.locator('a').click();
    await expect.poll(() => page.locator('#job-error').textContent()).toBe(inPlainWords(status.error.message, 'page'));
    await screenshot(page, '06b-rejected-upload');
  });

  it('says in words when the catalog cannot be reached, and offers the modes that work', async () => {
    await page.check('input[name="mode"][value="point"]');
    await page.fill('input[name="lat"]', '36.62');
    await page.fill('input[name="lng"]', '-121.95');
    await run();
    await expect.poll(() => page.locator('#source-error').textContent(), { timeout: 30_000 }).toBe(MESSAGES.catalogUnreachable(deadCatalog));
    await expect(page.locator('#source-alternatives').isVisible()).resolves.toBe(true);
    await screenshot(page, '06c-catalog-unreachable');
    await page.getByRole('button', { name: 'Use a stored image instead' }).click();
    await expect(page.locator('input[name="mode"][value="key"]').isChecked()).resolves.toBe(true);
    await expect(page.locator('#source-alternatives').isHidden()).resolves.toBe(true);
  });

  it('lists past analyses grouped by image, each with its method and area mode, and opens one (its id in the address)', async () => {
    await expect(page.locator(`.history-list li[data-id="${sample.id}"] .how`).textContent()).resolves.toBe('KD · binary · giant kelp');
    await expect(page.locator('.history-list .group', { has: page.locator(`li[data-id="${sample.id}"]`) }).locator('.image .what').textContent()).resolves.toBe('coastal-sample.tif');
    await page.locator(`.history-list li[data-id="${sample.id}"] a`).click();
    await waitForResult();
    expect(idInAddress()).toBe(sample.id);
    await page.reload();
    await waitForResult();
    await expect(page.locator('[data-figure="area"]').textContent()).resolves.toBe(formatHa(sample.kelp.areaHa));
  });

  it('sends the same Idempotency-Key again when a POST’s answer was lost, and gets the analysis that POST started', async () => {
    const isPost = (url: URL) => url.pathname === '/api/analyses';
    const keys: string[] = [];
    let replayed: string | undefined;
    await page.route(isPost, async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      keys.push(route.request().headers()['idempotency-key']);
      const response = await route.fetch(); // the server gets it and answers…
      if (keys.length === 1) return route.abort('timedout'); // …but the page never hears
      replayed = response.headers()['idempotent-replayed'];
      await route.fulfill({ response });
    });
    try {
      await page.check('input[name="mode"][value="key"]');
      await page.fill('input[name="key"]', 'uploads/coastal-sample.tif');
      await run();
      await page.locator('#options-error').waitFor();
      await run();
      await waitForResult();
      expect(keys).toHaveLength(2);
      expect(keys[1]).toBe(keys[0]);
      expect(replayed).toBe('true');
      expect(idInAddress()).toBe(sample.id);
    } finally {
      await page.unroute(isPost);
    }
  });

  it('clears the map when another analysis is opened, drops the late answers of the previous one, and shows a failure opened from the list in the progress area', async () => {
    const failed = 'f00000000000000000a1';
    const message = 'the image has no near-infrared band (B08)';
    const failedAt = '2024-05-01T10:00:00Z';
    await page.route(`**/api/analyses/${failed}`, (route) =>
      route.fulfill({ json: { id: failed, kind: 'scene', status: 'failed', submittedAt: failedAt, updatedAt: failedAt, error: { code: 'UNUSABLE_IMAGE', message } } }),
    );
    // The sample's beds answer late: its layers are still loading when the next analysis is opened.
    const bedsOfSample = `**/api/analyses/${sample.id}/beds.geojson`;
    await page.route(bedsOfSample, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue().catch(() => undefined); // the page may have given up on it
    });
    try {
      await page.evaluate(() => (window.location.hash = '#/'));
      await page.evaluate((id) => (window.location.hash = `#/analyses/${id}`), sample.id);
      await page.locator('[data-figure="area"]').waitFor();
      await page.evaluate((id) => (window.location.hash = `#/analyses/${id}`), failed);
      await expect.poll(() => page.locator('#job-error').textContent()).toBe(message);
      await page.waitForTimeout(2000); // past the late beds answer
      await expect(page.locator('#job-error').textContent()).resolves.toBe(message);
      expect(await page.locator('#source-error').isHidden(), 'a failure opened from the list is not about the form').toBe(true);
      expect(await page.locator('#results').isHidden()).toBe(true);
      const left = await page.evaluate(() => document.querySelectorAll('#map img.kelp-overlay, #map path.bed, #map path.scene-bounds, #map .layers-panel').length);
      expect(left, 'layers of the previous analysis left on the map').toBe(0);
      await screenshot(page, '11-failed-from-list');
    } finally {
      await page.unroute(bedsOfSample);
      await page.unroute(`**/api/analyses/${failed}`);
    }
    await page.evaluate((id) => (window.location.hash = `#/analyses/${id}`), sample.id);
    await waitForResult();
    await expect(page.locator('img.kelp-overlay').count()).resolves.toBe(1);
  });

  it('adds the next page of the list once, however often "More" is clicked, and drops a page overtaken by a reload', async () => {
    const isList = (url: URL) => url.pathname === '/api/analyses' && url.searchParams.has('limit');
    const items = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ id: `e${String(from + i).padStart(19, '0')}`, createdAt: '2024-05-01T10:00:00Z', status: 'succeeded', kind: 'scene' }));
    await page.route(isList, async (route) => {
      const cursor = new URL(route.request().url()).searchParams.get('cursor');
      if (cursor) await new Promise((resolve) => setTimeout(resolve, 600));
      await route.fulfill({ json: cursor ? { items: items(20, 5) } : { items: items(0, 20), cursor: 'page-2' } }).catch(() => undefined);
    });
    const ids = () => page.locator('.history-list li[data-id]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-id')));
    try {
      await page.click('#key-form button[type="submit"]'); // "Use key" loads the list again
      await page.locator('#history-more').waitFor();
      await page.dblclick('#history-more');
      await expect.poll(async () => (await ids()).length).toBe(25);
      await page.waitForTimeout(800);
      const shown = await ids();
      expect(new Set(shown).size).toBe(25);
      expect(shown).toHaveLength(25);
      // "More", then a reload before its page comes: the list is the first page, not the first page and a stale second.
      await page.click('#key-form button[type="submit"]');
      await page.locator('#history-more').waitFor();
      await page.click('#history-more');
      await page.click('#key-form button[type="submit"]');
      await page.waitForTimeout(1000);
      await expect(ids()).resolves.toEqual(items(0, 20).map((item) => item.id));
      await expect(page.locator('#history-more').isVisible()).resolves.toBe(true);
    } finally {
      await page.unroute(isList);
    }
    await page.click('#key-form button[type="submit"]');
    await page.locator(`.history-list li[data-id="${sample.id}"]`).waitFor();
  });

  it('opens a shared link to an analysis once the API key is given after the 401', async () => {
    const fresh = await openPage(browser);
    try {
      await fresh.page.goto(`${server.base}/#/analyses/${sample.id}`);
      // Nothing is asked before the key is given: the page says what to do instead.
      await expect.poll(() => fresh.page.locator('#api-key-hint').textContent(), { timeout: 10_000 }).toBe(MESSAGES.keyNeeded);
      await expect.poll(() => fresh.page.locator('#job-error').textContent()).toBe(MESSAGES.keyNeededToOpen);
      await fresh.page.fill('#api-key', API_KEY);
      await fresh.page.keyboard.press('Enter');
      await fresh.page.locator('[data-figure="area"]').waitFor({ timeout: 10_000 });
      await expect(fresh.page.locator('[data-figure="area"]').textContent()).resolves.toBe(formatHa(sample.kelp.areaHa));
      await expect(fresh.page.locator('#job').isHidden()).resolves.toBe(true);
      expect([...fresh.events.errors, ...fresh.events.cspViolations, ...fresh.events.dialogs]).toEqual([]);
    } finally {
      await fresh.context.close();
    }
  });

  it('keeps following a running analysis when a new submission is refused, asks at the Retry-After pace, and not while the tab is hidden', async () => {
    const fresh = await openPage(browser);
    const { page: tab } = fresh;
    const running = 'a00000000000000000b2';
    const now = new Date().toISOString();
    const status = { id: running, kind: 'scene', status: 'running', submittedAt: now, updatedAt: now, progress: { step: 'scanning rows', done: 256, total: 512, unit: 'rows', percent: 45 } };
    const result = await api<Record<string, unknown>>(`/api/analyses/${sample.id}`);
    const polls: number[] = [];
    let finished = false;
    try {
      // The key for this tab, and a document.hidden the test can set (headless tabs are never hidden).
      await tab.addInitScript((key) => {
        sessionStorage.setItem('kelpie.apiKey', key);
        let hidden = false;
        Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden });
        (window as unknown as { __setHidden(value: boolean): void }).__setHidden = (value) => {
          hidden = value;
          document.dispatchEvent(new Event('visibilitychange'));
        };
      }, API_KEY);
      await tab.route(`**/api/analyses/${running}`, (route) => {
        polls.push(Date.now());
        return finished ? route.fulfill({ json: result }) : route.fulfill({ status: 202, headers: { 'retry-after': '2' }, json: status });
      });
      await tab.goto(`${server.base}/#/analyses/${running}`);
      await expect.poll(() => tab.locator('#job .progress-text').textContent()).toMatch(/^Running: scanning rows/);
      await expect.poll(() => polls.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
      expect(polls[1] - polls[0], 'the wait between two status questions').toBeGreaterThanOrEqual(1900);

      // A refused submission: its error beside the source, and the running analysis still followed.
      await tab.check('input[name="mode"][value="key"]');
      await tab.fill('input[name="key"]', 'uploads/not-there.tif');
      const [refused] = await Promise.all([tab.waitForResponse((r) => new URL(r.url()).pathname === '/api/analyses' && r.request().method() === 'POST'), tab.click('#run')]);
      expect(refused.status()).toBeGreaterThanOrEqual(400);
      await tab.locator('#source-error').waitFor();
      await expect(tab.locator('#job .progress-text').textContent()).resolves.toMatch(/^Running: scanning rows/);
      expect(new URL(tab.url()).hash).toBe(`#/analyses/${running}`);

      // Hidden: no questions; shown again: asks at once, and the result comes.
      await tab.evaluate(() => (window as unknown as { __setHidden(value: boolean): void }).__setHidden(true));
      await tab.waitForTimeout(300);
      const asked = polls.length;
      await tab.waitForTimeout(3000);
      expect(polls.length, 'status questions while the tab was hidden').toBe(asked);
      finished = true;
      await tab.evaluate(() => (window as unknown as { __setHidden(value: boolean): void }).__setHidden(false));
      await tab.locator('[data-figure="area"]').waitFor({ timeout: 5000 });
      await expect(tab.locator('[data-figure="area"]').textContent()).resolves.toBe(formatHa(sample.kelp.areaHa));
      expect([...fresh.events.errors, ...fresh.events.cspViolations, ...fresh.events.dialogs]).toEqual([]);
    } finally {
      await fresh.context.close();
    }
  });

  it('draws a box with a finger, by a drag or by tapping two corners; the map pans again after, and after Escape', async () => {
    const phone = await openPage(browser, { width: 390, height: 844 }, { isMobile: true });
    const { page: tab } = phone;
    const pans = () => tab.evaluate(() => (document.getElementById('map') as HTMLElement).classList.contains('leaflet-grab'));
    const box = async () => Promise.all(['west', 'south', 'east', 'north'].map(async (name) => Number(await tab.inputValue(`input[name="${name}"]`) || NaN)));
    const mapBox = async () => {
      await tab.locator('#map').scrollIntoViewIfNeeded();
      return (await tab.locator('#map').boundingBox())!;
    };
    try {
      await tab.goto(`${server.base}/`);
      await tab.check('input[name="mode"][value="box"]');
      // Two taps on opposite corners.
      await tab.tap('#draw-box');
      expect(await pans()).toBe(false);
      let map = await mapBox();
      await tab.touchscreen.tap(map.x + 80, map.y + 60);
      await expect(tab.getAttribute('#draw-box', 'aria-pressed')).resolves.toBe('true');
      await expect(tab.locator('path.aoi-corner').count()).resolves.toBe(1);
      await tab.touchscreen.tap(map.x + 220, map.y + 180);
      const [west, south, east, north] = await box();
      expect(west).toBeLessThan(east);
      expect(south).toBeLessThan(north);
      await expect(tab.getAttribute('#draw-box', 'aria-pressed')).resolves.toBe('false');
      expect(await pans()).toBe(true);
      await expect(tab.locator('path.aoi').count()).resolves.toBe(1);
      // A drag with one finger (touch events, as a phone sends them).
      await tab.tap('#draw-box');
      map = await mapBox();
      const cdp = await phone.context.newCDPSession(tab);
      const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x = 0, y = 0) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
      await touch('touchStart', map.x + 120, map.y + 120); // clear of the zoom buttons
      for (let step = 1; step <= 6; step++) await touch('touchMove', map.x + 120 + step * 30, map.y + 120 + step * 20);
      // The finger rests before it lifts: lifted mid-swipe, Chromium starts a fling that swallows the next tap.
      await tab.waitForTimeout(150);
      await touch('touchMove', map.x + 300, map.y + 240);
      await tab.waitForTimeout(150);
      await touch('touchEnd');
      const dragged = await box();
      expect(dragged).not.toEqual([west, south, east, north]);
      expect(dragged[0]).toBeLessThan(dragged[2]);
      expect(dragged[1]).toBeLessThan(dragged[3]);
      await expect(tab.getAttribute('#draw-box', 'aria-pressed')).resolves.toBe('false');
      expect(await pans()).toBe(true);
      // Armed, then cancelled: the map pans again and the box is as it was.
      await tab.tap('#draw-box');
      expect(await pans()).toBe(false);
      await tab.keyboard.press('Escape');
      expect(await pans()).toBe(true);
      await expect(box()).resolves.toEqual(dragged);
      expect([...phone.events.errors, ...phone.events.cspViolations, ...phone.events.dialogs]).toEqual([]);
    } finally {
      await phone.context.close();
    }
  });

  it('fits a phone: no sideways scrolling, map above the panel', async () => {
    const phone = await openPage(browser, { width: 390, height: 844 }, { isMobile: true });
    try {
      await phone.page.goto(`${server.base}/#/analyses/${sample.id}`);
      await phone.page.fill('#api-key', API_KEY);
      await phone.page.keyboard.press('Enter');
      await phone.page.reload();
      await phone.page.locator('[data-figure="area"]').waitFor();
      const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(390);
      const [map, panel] = await Promise.all([phone.page.locator('#map').boundingBox(), phone.page.locator('#panel').boundingBox()]);
      expect(map && panel && map.y + map.height <= panel.y + 1).toBe(true);
      await screenshot(phone.page, '07-phone');
      await screenshot(phone.page, '07-phone-screen', false);
      expect([...phone.events.errors, ...phone.events.cspViolations, ...phone.events.dialogs]).toEqual([]);
    } finally {
      await phone.context.close();
    }
  });
});
