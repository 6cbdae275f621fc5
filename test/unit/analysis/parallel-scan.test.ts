import { describe, expect, it } from 'vitest';
import { BandLayerSink, mergeBandLayers } from '../../../core/analysis/band-layers.js';
import { LayerAccumulator, layerSources } from '../../../core/analysis/layers.js';
import { alignmentRows, planBands } from '../../../core/analysis/parallel-scan.js';
import { PIXEL } from '../../../core/analysis/masks.js';

describe('planBands', () => {
  it('cuts a window into bands of whole units, the last ending at the window height', () => {
    expect(planBands(1280, 256, 256, 16)).toEqual([
      { y0: 0, y1: 256 },
      { y0: 256, y1: 512 },
      { y0: 512, y1: 768 },
      { y0: 768, y1: 1024 },
      { y0: 1024, y1: 1280 },
    ]);
    expect(planBands(10980, 256, 1024, 8).at(-1)).toEqual({ y0: 9216, y1: 10980 });
  });

  it('makes no more bands than asked, as even as the units allow', () => {
    const bands = planBands(10980, 256, 1024, 4);
    expect(bands).toHaveLength(4);
    expect(bands.map((band) => band.y1 - band.y0)).toEqual([2048, 3072, 3072, 2788]);
  });

  it('falls back to strips when the unit is not a whole number of strips', () => {
    expect(planBands(600, 256, 100, 8)).toEqual([
      { y0: 0, y1: 256 },
      { y0: 256, y1: 512 },
      { y0: 512, y1: 600 },
    ]);
  });
});

describe('alignmentRows', () => {
  it('is the common multiple of the strip and every file block, so no tile is decoded by two bands', () => {
    // 512-row tiles of 10 m bands, 512-row tiles of 20 m bands (1024 rows on the 10 m grid).
    expect(alignmentRows([512, 512, 1024], 256, 0)).toBe(1024);
  });

  it('is one strip when the window does not start on a block boundary, or the multiple is too coarse', () => {
    expect(alignmentRows([512], 256, 300)).toBe(256);
    expect(alignmentRows([768 * 3], 256, 0)).toBe(256);
  });
});

describe('BandLayerSink', () => {
  // 11 columns, 20 rows, layers averaging 3 × 3 pixels: output rows straddle the seams at 8 and 14.
  const width = 11;
  const height = 20;
  const factor = 3;
  const layers = ['rgb', 'kd'] as const;
  const rows = (y0: number, y1: number) => {
    const n = (y1 - y0) * width;
    const value = (name: string, i: number) => Math.fround(Math.sin((y0 * width + i) * (name.length + 1.7)) * 0.1 + 0.05);
    const bands = new Map(['B02', 'B03', 'B04'].map((name) => [name, Float32Array.from({ length: n }, (_, i) => value(name, i))]));
    const indices = new Map([['kd', Float32Array.from({ length: n }, (_, i) => value('kd', i))]]);
    const classes = Uint8Array.from({ length: n }, (_, i) => ((y0 * width + i) % 7 === 0 ? PIXEL.nodata : PIXEL.water));
    return { bands, indices, classes } as never as { bands: Map<never, Float32Array>; indices: Map<string, Float32Array>; classes: Uint8Array };
  };

  it('merged in row order, gives exactly the sums of one accumulator fed strip by strip', () => {
    const whole = new LayerAccumulator([...layers], width, height, factor);
    for (let y = 0; y < height; y += 4) {
      const strip = rows(y, Math.min(height, y + 4));
      whole.add(y, Math.min(4, height - y), strip.bands, strip.indices, strip.classes);
    }
    const merged = new LayerAccumulator([...layers], width, height, factor);
    for (const [y0, y1] of [[0, 8], [8, 14], [14, 20]]) {
      const sink = new BandLayerSink([...layers], width, height, factor, y0, y1);
      for (let y = y0; y < y1; y += 4) {
        const end = Math.min(y1, y + 4);
        const strip = rows(y, end);
        sink.add(y, end - y, strip.bands, strip.indices, strip.classes);
      }
      mergeBandLayers(merged, sink.result(), layerSources([...layers]));
    }
    for (const layer of layers) expect(merged.render(layer)).toEqual(whole.render(layer));
    expect(merged.export()).toEqual(whole.export());
  });
});
