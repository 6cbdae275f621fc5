/**
 * Red edge at the 10 m grid: KD compares B06, a 20 m band, with B04, a 10 m band, so at a bed's
 * edge a 10 m water pixel shares its 20 m block's canopy red edge (a false kelp pixel) and a
 * sparse canopy pixel shares its block's water (a miss). Sharpening puts the 10 m structure of
 * B08 (10 m NIR, which rises over canopy like the red edge) into the 20 m band: high-pass
 * injection, `B06' = B06 + g × (B08 − mean of B08 over the 20 m block)`, the standard
 * "high-pass filter" fusion of a coarse band with a fine one (Chavez et al. 1991, PE&RS 57:295;
 * for Sentinel-2's 20 m bands with its 10 m bands, Vaiopoulos & Karantzalos 2016,
 * ISPRS Archives XLI-B7:723). A flat offset (glint) cancels in the high-pass term.
 *
 * The gain `g` is the red edge's rise per unit NIR rise across canopy edges, regressed on the
 * scene itself (adjacent 20 m blocks of the strip that carry canopy); it is not a constant of
 * ours. Where a strip has too few canopy edges to regress, `DEFAULT_GAIN` is used; there the
 * high-pass term is small anyway, since it is only non-zero at canopy edges.
 */

/**
 * Gain used when a strip has too few canopy edges to regress one: B06 (740 nm) sits high on the
 * red edge of photosynthetic canopies, where reflectance has reached roughly 0.5–0.8 of the NIR
 * plateau (the red-edge inflection lies near 700–730 nm for floating kelp; Timmer et al. 2022,
 * Remote Sensing 14(9):2241). The midpoint of that range.
 */
export const DEFAULT_GAIN = 0.65;
/** Regressed gains are kept within the physically plausible part of the red edge. */
export const GAIN_BOUNDS = [0.3, 1] as const;
/** Minimum Σ(ΔNIR²) over block pairs before a strip's own gain is trusted (≈ 25 pairs across a 0.1 NIR step). */
const MIN_NIR_CONTRAST = 25 * 0.1 * 0.1;

/** How the 20 m red edge meets the 10 m red: see `KernelPlan.redEdge`. */
export const RED_EDGE_MODES = ['sharpened', 'aggregated', 'native'] as const;
export type RedEdgeMode = (typeof RED_EDGE_MODES)[number];

/** How a 20 m band lies on the 10 m grid of a strip: which columns and rows start a 2 × 2 block. */
export interface BlockLayout {
  xParity: 0 | 1;
  yParity: 0 | 1;
}

/**
 * Finds the 2 × 2 block layout of a 20 m band stored on the 10 m grid (each value repeated
 * 2 × 2) from the data: the parity whose neighbouring pairs are equal nearly everywhere. Returns
 * undefined when the band is not block-constant (resampled by bilinear or cubic, or at 10 m).
 */
export function detectBlocks(band: Float32Array, width: number, rows: number): BlockLayout | undefined {
  // Equal horizontal pairs starting on even and odd columns, vertical pairs starting on even and odd rows.
  let x0 = 0;
  let x1 = 0;
  let y0 = 0;
  let y1 = 0;
  let pairs = 0;
  for (let r = 0; r + 1 < rows; r++) {
    const o = r * width;
    let down = 0;
    for (let c = 0; c + 1 < width; c++) {
      const v = band[o + c];
      if (v !== v) continue;
      pairs++;
      if (v === band[o + c + 1]) {
        if (c & 1) x1++;
        else x0++;
      }
      if (v === band[o + width + c]) down++;
    }
    if (r & 1) y1 += down;
    else y0 += down;
  }
  if (pairs < 16) return undefined;
  const xParity = x0 >= x1 ? 0 : 1;
  const yParity = y0 >= y1 ? 0 : 1;
  // Aligned pairs are half of all pairs; nearly all of them must be equal.
  const aligned = ((xParity ? x1 : x0) + (yParity ? y1 : y0)) / pairs;
  return aligned > 0.9 ? { xParity, yParity } : undefined;
}

/** The block mean of `values` for every pixel of a strip (blocks cut by the strip edge use what is inside). */
export function blockMeans(values: Float32Array, width: number, rows: number, layout: BlockLayout, out: Float32Array): void {
  for (let r = layout.yParity === 1 ? -1 : 0; r < rows; r += 2) {
    const r0 = Math.max(0, r);
    const r1 = Math.min(rows - 1, r + 1);
    const top = r0 * width;
    const bottom = r1 * width;
    const fullRows = r1 === r0 + 1;
    for (let c = layout.xParity === 1 ? -1 : 0; c < width; c += 2) {
      const c0 = Math.max(0, c);
      const c1 = Math.min(width - 1, c + 1);
      if (fullRows && c1 === c0 + 1) {
        // A whole block: the same sum, in the same order, as the general case below.
        const sum = 0 + values[top + c0] + values[top + c1] + values[bottom + c0] + values[bottom + c1];
        if (sum === sum) {
          const mean = sum / 4;
          out[top + c0] = mean;
          out[top + c1] = mean;
          out[bottom + c0] = mean;
          out[bottom + c1] = mean;
          continue;
        }
      }
      let sum = 0;
      let n = 0;
      for (let y = r0; y <= r1; y++) {
        for (let x = c0; x <= c1; x++) {
          const v = values[y * width + x];
          if (!Number.isNaN(v)) {
            sum += v;
            n++;
          }
        }
      }
      const mean = n ? sum / n : NaN;
      for (let y = r0; y <= r1; y++) for (let x = c0; x <= c1; x++) out[y * width + x] = mean;
    }
  }
}

/**
 * The strip's red-edge gain: least squares of ΔB06 on Δ(block-mean B08) over horizontally
 * adjacent blocks where either block looks like canopy (its 20 m KD, B06 − block-mean B04, at or
 * above `kdMin`). Differences cancel the water and any smooth glint. `DEFAULT_GAIN` when the
 * strip has too little canopy contrast; always within `GAIN_BOUNDS`.
 */
export function regressGain(
  coarse: Float32Array,
  nirMean: Float32Array,
  redMean: Float32Array,
  width: number,
  rows: number,
  layout: BlockLayout,
  kdMin: number,
): { gain: number; regressed: boolean } {
  let sxy = 0;
  let sxx = 0;
  for (let r = layout.yParity; r < rows; r += 2) {
    const o = r * width;
    for (let c = layout.xParity; c + 2 < width; c += 2) {
      const a = o + c;
      const b = a + 2;
      const canopy = coarse[a] - redMean[a] >= kdMin || coarse[b] - redMean[b] >= kdMin;
      if (!canopy) continue;
      const dx = nirMean[b] - nirMean[a];
      const dy = coarse[b] - coarse[a];
      if (Number.isNaN(dx) || Number.isNaN(dy)) continue;
      sxy += dx * dy;
      sxx += dx * dx;
    }
  }
  if (sxx < MIN_NIR_CONTRAST) return { gain: DEFAULT_GAIN, regressed: false };
  return { gain: Math.min(GAIN_BOUNDS[1], Math.max(GAIN_BOUNDS[0], sxy / sxx)), regressed: true };
}

/** `out = coarse + gain × (fine − fineMean)`: the 20 m band with a 10 m band's detail (`gain` may be negative). */
export function injectDetail(coarse: Float32Array, fine: Float32Array, fineMean: Float32Array, gain: number, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = coarse[i] + gain * (fine[i] - fineMean[i]);
}
