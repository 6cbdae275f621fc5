import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LAYER_STYLES } from '../../../core/analysis/layers.js';
import { SPECIES } from '../../../core/analysis/factors.js';
import { METHOD_NAMES } from '../../../core/analysis/methods/registry.js';
import { LAYER_NAMES } from '../../../core/analysis/options.js';
import { LAYER_LEGEND } from '../../../web/legend.js';
import { LAYERS } from '../../../web/types.js';

const html = readFileSync(new URL('../../../web/index.html', import.meta.url), 'utf8');
const optionsOf = (name: string) => [...new RegExp(`<select name="${name}">([\\s\\S]*?)</select>`).exec(html)![1].matchAll(/value="([^"]+)"/g)].map((m) => m[1]);

/** The page keeps its own copies of a few core tables (importing them would bundle zod and more): they must agree. */
describe('the page’s tables agree with the core', () => {
  it('offers every method and species the API accepts, defaults first-selected as the API defaults', () => {
    expect(optionsOf('method')).toEqual([...METHOD_NAMES]);
    expect(optionsOf('species')).toEqual([...SPECIES]);
    expect(html).toMatch(/<option value="kd" selected>/);
    expect(html).toMatch(/<option value="macrocystis" selected>/);
  });

  it('knows every layer, with the range and kind the core renders it with', () => {
    expect([...LAYERS]).toEqual([...LAYER_NAMES]);
    for (const layer of LAYER_NAMES) expect({ kind: LAYER_LEGEND[layer].kind, range: LAYER_LEGEND[layer].range }).toEqual({ kind: LAYER_STYLES[layer].kind, range: LAYER_STYLES[layer].range });
  });

  it('has no inline script or style for the CSP to refuse', () => {
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|<style|\son[a-z]+=/i);
  });
});
