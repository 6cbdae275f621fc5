import type { BandName } from './bands.js';
import type { BandArrays } from './indices/index-plugin.js';
import { PIXEL } from './masks.js';
import type { LayerName } from './options.js';

/** Longest side of a rendered PNG layer; larger scenes are block-averaged down to it. */
export const MAX_LAYER_SIDE = 2048;

/**
 * How each layer is drawn: the bands or index it shows and the value range mapped to 0–255.
 * Reflectance stretches suit water and canopy (dark targets); index ranges span water to canopy.
 */
export const LAYER_STYLES: Record<LayerName, { sources: string[]; range: [number, number]; kind: 'colour' | 'ramp' }> = {
  rgb: { sources: ['B04', 'B03', 'B02'], range: [0, 0.25], kind: 'colour' },
  'false-color': { sources: ['B08', 'B04', 'B03'], range: [0, 0.35], kind: 'colour' },
  ndvi: { sources: ['ndvi'], range: [-0.6, 0.6], kind: 'ramp' },
  fai: { sources: ['fai'], range: [-0.05, 0.15], kind: 'ramp' },
  kd: { sources: ['kd'], range: [-0.03, 0.09], kind: 'ramp' },
};

/** Bands the requested layers read (indices are computed from bands the analysis reads anyway). */
export function layerBands(layers: readonly LayerName[]): BandName[] {
  return [...new Set(layers.flatMap((layer) => LAYER_STYLES[layer].sources.filter((s) => /^B/.test(s)) as BandName[]))];
}

/** The bands and indices a set of layers averages, in a fixed order. */
export function layerSources(layers: readonly LayerName[]): string[] {
  return [...new Set(layers.flatMap((layer) => LAYER_STYLES[layer].sources))];
}

/** Output size for a window: the scale factor and the downsampled width and height. */
export function layerSize(width: number, height: number): { factor: number; width: number; height: number } {
  const factor = Math.max(1, Math.ceil(Math.max(width, height) / MAX_LAYER_SIDE));
  return { factor, width: Math.ceil(width / factor), height: Math.ceil(height / factor) };
}

/** What a scan hands each strip to: the layer accumulator, or a band's share of it in a worker. */
export interface LayerSink {
  /** Adds the strip whose first row is window row `y`. */
  add(y: number, rows: number, bands: BandArrays, indices: ReadonlyMap<string, Float32Array>, classes: Uint8Array): void;
}

/** Block-averages layer sources strip by strip, so the scene is never held at full size. */
export class LayerAccumulator implements LayerSink {
  readonly size: { factor: number; width: number; height: number };
  private readonly sums = new Map<string, Float32Array>();
  private readonly counts: Uint32Array;

  constructor(
    readonly layers: readonly LayerName[],
    private readonly windowWidth: number,
    windowHeight: number,
    /** Window rows per output row; by default what fits the window in `MAX_LAYER_SIDE`. */
    factor = layerSize(windowWidth, windowHeight).factor,
  ) {
    this.size = { factor, width: Math.ceil(windowWidth / factor), height: Math.ceil(windowHeight / factor) };
    this.counts = new Uint32Array(this.size.width * this.size.height);
    for (const source of layerSources(layers)) this.sums.set(source, new Float32Array(this.counts.length));
  }

  /** Adds a strip starting at window row `y`; nodata pixels are skipped (they stay transparent). */
  add(y: number, rows: number, bands: BandArrays, indices: ReadonlyMap<string, Float32Array>, classes: Uint8Array): void {
    const { factor, width } = this.size;
    const sources = [...this.sums].map(([name, sum]) => [bands.get(name as BandName) ?? indices.get(name), sum] as const);
    for (let r = 0; r < rows; r++) {
      const outRow = Math.floor((y + r) / factor) * width;
      for (let x = 0; x < this.windowWidth; x++) {
        const i = r * this.windowWidth + x;
        if (classes[i] === PIXEL.nodata) continue;
        const o = outRow + Math.floor(x / factor);
        this.counts[o]++;
        for (const [values, sum] of sources) if (values) sum[o] += values[i];
      }
    }
  }

  /** Sums (in `layerSources` order) and counts of every output row, to hand to another accumulator. */
  export(): { sums: Float32Array[]; counts: Uint32Array } {
    return { sums: [...this.sums.values()], counts: this.counts };
  }

  /** Takes whole output rows accumulated elsewhere (by `export`), placing their first at output row `outRow`. */
  placeRows(outRow: number, rows: { sums: readonly Float32Array[]; counts: Uint32Array }): void {
    const at = outRow * this.size.width;
    this.counts.set(rows.counts, at);
    [...this.sums.values()].forEach((sum, k) => sum.set(rows.sums[k], at));
  }

  /** RGBA pixels of one layer; transparent where no valid pixel fell. */
  render(layer: LayerName): Uint8Array {
    const style = LAYER_STYLES[layer];
    const [lo, hi] = style.range;
    const rgba = new Uint8Array(this.counts.length * 4);
    const sums = style.sources.map((source) => this.sums.get(source) as Float32Array);
    for (let o = 0; o < this.counts.length; o++) {
      const count = this.counts[o];
      if (count === 0) continue;
      const scaled = sums.map((sum) => Math.max(0, Math.min(1, (sum[o] / count - lo) / (hi - lo))));
      const [r, g, b] = style.kind === 'colour' ? scaled.map((v) => Math.round(255 * Math.sqrt(v))) : ramp(scaled[0]);
      rgba.set([r, g, b, 255], o * 4);
    }
    return rgba;
  }
}

/** A perceptually ordered blue → teal → yellow ramp (viridis-like stops). */
const RAMP: Array<[number, number, number]> = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

function ramp(t: number): [number, number, number] {
  const position = t * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(position));
  const f = position - i;
  return [0, 1, 2].map((c) => Math.round(RAMP[i][c] + (RAMP[i + 1][c] - RAMP[i][c]) * f)) as [number, number, number];
}

/**
 * The kelp overlay: kelp green with opacity by the share of kelp in each block, transparent
 * elsewhere, at the same downsampling as the layers.
 */
export function renderOverlay(mask: Uint8Array, width: number, height: number): { width: number; height: number; rgba: Uint8Array } {
  const size = layerSize(width, height);
  const kelp = new Uint32Array(size.width * size.height);
  const all = new Uint32Array(size.width * size.height);
  for (let y = 0; y < height; y++) {
    const outRow = Math.floor(y / size.factor) * size.width;
    for (let x = 0; x < width; x++) {
      const o = outRow + Math.floor(x / size.factor);
      all[o]++;
      if (mask[y * width + x] === 1) kelp[o]++;
    }
  }
  const rgba = new Uint8Array(kelp.length * 4);
  for (let o = 0; o < kelp.length; o++) {
    if (kelp[o] === 0) continue;
    const share = kelp[o] / all[o];
    rgba.set([0, 200, 83, Math.round(110 + 145 * share)], o * 4);
  }
  return { width: size.width, height: size.height, rgba };
}
