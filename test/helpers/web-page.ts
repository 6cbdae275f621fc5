import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';

/** Where the kelp image is drawn against the scene outline and the beds, measured in the page. */
export interface OverlayPlacement {
  /** Screen rectangles (CSS px) of the kelp image and of the scene outline. */
  image: { left: number; top: number; width: number; height: number };
  outline: { left: number; top: number; width: number; height: number };
  natural: { width: number; height: number };
  /** Kelp pixels (alpha > 0) in the image; how many fall inside some bed's screen box, and inside a bed polygon. */
  kelpPixels: number;
  kelpInBedBoxes: number;
  kelpInBeds: number;
  /** Beds drawn, and how many have kelp pixels under their screen box. */
  beds: number;
  bedsOnKelp: number;
}

/**
 * Measures the kelp overlay in the page: its rectangle, the scene outline's, and whether the
 * kelp pixels of the image lie under the bed polygons (which come from beds.geojson, vectors in
 * WGS 84: an overlay out of place would put its kelp beside them).
 */
export function measureOverlay(page: Page): Promise<OverlayPlacement> {
  return page.evaluate(() => {
    const img = document.querySelector<HTMLImageElement>('img.kelp-overlay');
    const outline = document.querySelector<SVGPathElement>('path.scene-bounds');
    if (!img || !outline) throw new Error('no kelp overlay or scene outline on the map');
    const r = img.getBoundingClientRect();
    const o = outline.getBoundingClientRect();
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [img.naturalWidth, img.naturalHeight];
    const context = canvas.getContext('2d') as CanvasRenderingContext2D;
    context.drawImage(img, 0, 0);
    const alpha = context.getImageData(0, 0, canvas.width, canvas.height).data;
    const toImage = (x: number, y: number) => [Math.floor(((x - r.left) / r.width) * canvas.width), Math.floor(((y - r.top) / r.height) * canvas.height)];
    const boxes = [...document.querySelectorAll<SVGPathElement>('path.bed')].map((path) => {
      const b = path.getBoundingClientRect();
      const [x0, y0] = toImage(b.left - 1, b.top - 1);
      const [x1, y1] = toImage(b.right + 1, b.bottom + 1);
      return { x0: Math.max(0, x0), y0: Math.max(0, y0), x1: Math.min(canvas.width - 1, x1), y1: Math.min(canvas.height - 1, y1) };
    });
    // A kelp pixel's centre, in each bed path's own coordinates, is in the bed when the path's fill holds it.
    const paths = [...document.querySelectorAll<SVGPathElement>('path.bed')];
    const inverses = paths.map((path) => (path.getScreenCTM() as DOMMatrix).inverse());
    const inBed = (x: number, y: number) => {
      const screen = new DOMPoint(r.left + ((x + 0.5) / canvas.width) * r.width, r.top + ((y + 0.5) / canvas.height) * r.height);
      return paths.some((path, i) => path.isPointInFill(screen.matrixTransform(inverses[i])));
    };
    let kelpPixels = 0;
    let kelpInBedBoxes = 0;
    let kelpInBeds = 0;
    const bedHits = new Array(boxes.length).fill(false);
    for (let y = 0; y < canvas.height; y++) {
      for (let x = 0; x < canvas.width; x++) {
        if (alpha[(y * canvas.width + x) * 4 + 3] === 0) continue;
        kelpPixels++;
        let inside = false;
        boxes.forEach((box, i) => {
          if (x >= box.x0 && x <= box.x1 && y >= box.y0 && y <= box.y1) inside = bedHits[i] = true;
        });
        if (inside) kelpInBedBoxes++;
        if (inside && inBed(x, y)) kelpInBeds++;
      }
    }
    const rect = (d: DOMRect) => ({ left: d.left, top: d.top, width: d.width, height: d.height });
    return { image: rect(r), outline: rect(o), natural: { width: img.naturalWidth, height: img.naturalHeight }, kelpPixels, kelpInBedBoxes, kelpInBeds, beds: boxes.length, bedsOnKelp: bedHits.filter(Boolean).length };
  });
}

/** Web Mercator y of a latitude (any scale): the overlay's height/width ratio must follow it. */
export function mercatorAspect([west, south, east, north]: readonly number[]): number {
  const y = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
  return (y(north) - y(south)) / (((east - west) * Math.PI) / 180);
}

/** Form controls without an accessible name (a `<label>`, `aria-label` or `aria-labelledby`). */
export function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLButtonElement>('input, select, button, textarea')]
      .filter((control) => !(control as HTMLElement).hidden && control.type !== 'hidden')
      .filter((control) => !(control.labels?.length || control.getAttribute('aria-label') || control.getAttribute('aria-labelledby') || (control.tagName === 'BUTTON' && control.textContent?.trim())))
      .map((control) => control.outerHTML.slice(0, 120)),
  );
}

/** The page's script, style sheet and basemap data as served, and their gzipped size in bytes. */
export async function bundleSize(base: string): Promise<{ files: string[]; gzipBytes: number; rawBytes: number }> {
  const html = await (await fetch(`${base}/`)).text();
  const files = [...html.matchAll(/(?:src|href|content)="(assets\/[^"]+\.(?:js|css|json))"/g)].map((match) => match[1]);
  let [gzipBytes, rawBytes] = [0, 0];
  for (const file of files) {
    const bytes = new Uint8Array(await (await fetch(`${base}/${file}`)).arrayBuffer());
    rawBytes += bytes.byteLength;
    gzipBytes += gzipSync(bytes, { level: 9 }).byteLength;
  }
  return { files, gzipBytes, rawBytes };
}

/** Milliseconds from navigation start to the page's `kelpie:first-render` mark (map and form drawn). */
export async function firstRenderMs(page: Page): Promise<{ firstRender: number; firstContentfulPaint?: number; domContentLoaded: number }> {
  await page.waitForFunction(() => performance.getEntriesByName('kelpie:first-render').length > 0);
  // Paint entries are queued after the frame: give them a moment to arrive.
  await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, undefined, { timeout: 2_000 }).catch(() => undefined);
  return page.evaluate(() => ({
    firstRender: performance.getEntriesByName('kelpie:first-render')[0].startTime,
    firstContentfulPaint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    domContentLoaded: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd,
  }));
}

/**
 * Pixels of exactly `rgb` in a screenshot of `selector` (the map): decoded in the page itself,
 * from the PNG Chromium took, so what is counted is what a user would see.
 */
export async function pixelsOfColour(page: Page, selector: string, rgb: readonly [number, number, number]): Promise<{ matching: number; total: number }> {
  const png = (await page.locator(selector).screenshot()).toString('base64');
  return page.evaluate(
    async ({ png, rgb }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${png}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      [canvas.width, canvas.height] = [image.naturalWidth, image.naturalHeight];
      const context = canvas.getContext('2d') as CanvasRenderingContext2D;
      context.drawImage(image, 0, 0);
      const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let matching = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] === rgb[0] && data[i + 1] === rgb[1] && data[i + 2] === rgb[2]) matching++;
      return { matching, total: data.length / 4 };
    },
    { png, rgb: [...rgb] },
  );
}

/** `#rrggbb` as `[r, g, b]`. */
export function rgbOf(hex: string): [number, number, number] {
  return [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)) as [number, number, number];
}
