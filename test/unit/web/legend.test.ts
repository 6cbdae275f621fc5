import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LayerAccumulator, LAYER_STYLES } from '../../../core/analysis/layers.js';
import { PIXEL } from '../../../core/analysis/masks.js';
import { LAYER_NAMES } from '../../../core/analysis/options.js';
import { LAYER_LEGEND } from '../../../web/legend.js';
import { LAYERS } from '../../../web/types.js';

/**
 * web/legend.ts keeps its own copy of how core/analysis/layers.ts (LAYER_STYLES) renders each
 * layer (importing the core's table would bundle more of the core into the page): the legend
 * must say what the images show.
 */
describe('the map legend agrees with how the core renders the layers', () => {
  it('has a line for exactly the layers the core renders, in the same order', () => {
    expect([...LAYERS]).toEqual([...LAYER_NAMES]);
    expect(Object.keys(LAYER_LEGEND).sort()).toEqual(Object.keys(LAYER_STYLES).sort());
  });

  it.each([...LAYER_NAMES])('%s: the same kind (colour or ramp) and value range', (layer) => {
    expect({ kind: LAYER_LEGEND[layer].kind, range: LAYER_LEGEND[layer].range }).toEqual({ kind: LAYER_STYLES[layer].kind, range: LAYER_STYLES[layer].range });
  });

  it.each(LAYER_NAMES.filter((layer) => LAYER_STYLES[layer].kind === 'colour'))('%s: names the bands the core puts in red, green and blue, in that order', (layer) => {
    expect(LAYER_LEGEND[layer].sources).toBe(LAYER_STYLES[layer].sources.join(', '));
  });

  it('draws the ramp with the colours the core gives the bottom, quarters and top of a range', () => {
    const css = readFileSync(new URL('../../../web/styles.css', import.meta.url), 'utf8');
    const stops = /\.ramp \{[^}]*linear-gradient\(90deg, ([^)]+)\)/.exec(css)?.[1].split(',').map((stop) => stop.trim());
    // Five pixels of an index at 0, ¼, ½, ¾ and all of the NDVI range, rendered by the core.
    const [lo, hi] = LAYER_STYLES.ndvi.range;
    const values = Float32Array.from([0, 0.25, 0.5, 0.75, 1], (t) => lo + t * (hi - lo));
    const layer = new LayerAccumulator(['ndvi'], values.length, 1);
    layer.add(0, 1, new Map(), new Map([['ndvi', values]]), new Uint8Array(values.length).fill(PIXEL.water));
    const rgba = layer.render('ndvi');
    const hex = [...values].map((_, i) => `#${[...rgba.subarray(i * 4, i * 4 + 3)].map((c) => c.toString(16).padStart(2, '0')).join('')}`);
    expect(stops).toEqual(hex);
  });
});
