import { GrowableFloat32 } from './growable.js';
import { RunList } from './runs.js';
import { MASK, type SceneScan } from './scan.js';

/**
 * Excludes a buffer of `bufferPx` pixels (Chebyshev distance) around land from the analysis:
 * the 20 m bands (B05, B06, B11) of a pixel next to the shore mix in land, whose red edge is
 * far brighter than its red, so KD and FAI call such pixels canopy. Kelp and water pixels in the
 * buffer become masked (255) and are counted as `coast`; runs and kelp FAI are rebuilt without
 * them. Finally every working value (land, coast) becomes 255. Mutates and returns `scan`.
 *
 * Cost: one pass over the mask, plus work proportional to shoreline and kelp pixels.
 */
export function excludeCoast(scan: SceneScan, bufferPx: number): SceneScan {
  const { mask, window } = scan;
  const { width, height } = window;
  if (bufferPx > 0) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        if (mask[i] !== MASK.land || !bordersOther(mask, width, height, x, y)) continue;
        for (let ny = Math.max(0, y - bufferPx); ny <= Math.min(height - 1, y + bufferPx); ny++) {
          for (let nx = Math.max(0, x - bufferPx); nx <= Math.min(width - 1, x + bufferPx); nx++) {
            const j = ny * width + nx;
            if (mask[j] === MASK.water || mask[j] === MASK.kelp) {
              if (mask[j] === MASK.kelp) scan.counts.kelp--;
              else scan.counts.water--;
              scan.counts.coast++;
              mask[j] = MASK.coast;
            }
          }
        }
      }
    }
    rebuildKelp(scan);
  }
  for (let i = 0; i < mask.length; i++) if (mask[i] === MASK.land || mask[i] === MASK.coast) mask[i] = MASK.masked;
  return scan;
}

/** True when a land pixel has a 4-neighbour that is not land (it lies on the shoreline). */
function bordersOther(mask: Uint8Array, width: number, height: number, x: number, y: number): boolean {
  const i = y * width + x;
  return (
    (x > 0 && mask[i - 1] !== MASK.land) ||
    (x < width - 1 && mask[i + 1] !== MASK.land) ||
    (y > 0 && mask[i - width] !== MASK.land) ||
    (y < height - 1 && mask[i + width] !== MASK.land)
  );
}

/** Keeps only the kelp pixels still marked kelp, splitting runs where coast pixels were removed. */
function rebuildKelp(scan: SceneScan): void {
  const runs = new RunList();
  const kelpFai = new GrowableFloat32();
  const { mask, window } = scan;
  let p = 0;
  for (let r = 0; r < scan.runs.length; r++) {
    const row = scan.runs.row(r);
    const offset = row * window.width;
    let start = -1;
    for (let x = scan.runs.x0(r); x < scan.runs.x1(r); x++, p++) {
      const kept = mask[offset + x] === MASK.kelp;
      if (kept) {
        kelpFai.push(scan.kelpFai.get(p));
        if (start < 0) start = x;
      } else if (start >= 0) {
        runs.push(row, start, x, x - start);
        start = -1;
      }
    }
    if (start >= 0) runs.push(row, start, scan.runs.x1(r), scan.runs.x1(r) - start);
  }
  scan.runs = runs;
  scan.kelpFai = kelpFai;
}
