import { describe, expect, it } from 'vitest';
import { getIndex } from '../../../core/analysis/indices/registry.js';
import { METHOD_REGISTRY, getMethod } from '../../../core/analysis/methods/registry.js';
import { DEFAULT_THRESHOLDS } from '../../../core/analysis/thresholds.js';
import { UnknownNameError } from '../../../core/errors.js';
import { SPECTRA, bandsOf, mix, withGlint } from '../../helpers/bands.js';
import type { Spectrum } from '../../helpers/bands.js';

function detect(method: string, pixels: Spectrum[], water = pixels.map(() => 1)): number[] {
  const plugin = getMethod(method);
  const bands = bandsOf(pixels);
  const values = new Map(
    plugin.indices.map((name) => {
      const out = new Float32Array(pixels.length);
      getIndex(name).compute(bands, out);
      return [name, out] as const;
    }),
  );
  const out = new Uint8Array(pixels.length);
  plugin.classify(values, { ...DEFAULT_THRESHOLDS }, Uint8Array.from(water), out);
  return Array.from(out);
}

describe('kelp methods', () => {
  for (const name of METHOD_REGISTRY.keys()) {
    it(`${name} finds dense canopy and not clear water`, () => {
      expect(detect(name, [SPECTRA.canopy, SPECTRA.water])).toEqual([1, 0]);
    });

    it(`${name} never marks a pixel that is not water`, () => {
      expect(detect(name, [SPECTRA.canopy], [0])).toEqual([0]);
    });
  }

  it('kd thresholds at 0.003216: canopy fraction 0.2 passes, 0.1 does not', () => {
    // KD(f) = f × 0.095 + (1 − f) × (−0.009): 0.0118 at f = 0.2, 0.0014 at f = 0.1.
    expect(detect('kd', [mix(0.2), mix(0.1)])).toEqual([1, 0]);
  });

  it('kd and fai ignore flat glint over water', () => {
    const glinted = [withGlint(SPECTRA.water, 0.05), withGlint(SPECTRA.water, 0.1)];
    expect(detect('kd', glinted)).toEqual([0, 0]);
    expect(detect('fai', glinted)).toEqual([0, 0]);
  });

  it('consensus needs two of kd, fai and ndvi', () => {
    // Foam-like: bright, red-edge lower than red (kd < 0), NIR below the baseline (fai < 0).
    const foam = { B02: 0.35, B03: 0.35, B04: 0.33, B05: 0.3, B06: 0.28, B08: 0.25, B11: 0.08 };
    expect(detect('consensus', [foam, SPECTRA.canopy])).toEqual([0, 1]);
  });

  it('an unknown method lists the known ones', () => {
    expect(() => getMethod('rf')).toThrowError(UnknownNameError);
    expect(() => getMethod('rf')).toThrowError(/kd, fai, ndvi, ndre, consensus/);
  });
});
