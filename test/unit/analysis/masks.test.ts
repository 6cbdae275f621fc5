import { describe, expect, it } from 'vitest';
import { PIXEL, classifySurface } from '../../../core/analysis/masks.js';
import { DEFAULT_THRESHOLDS } from '../../../core/analysis/thresholds.js';
import { SENTINEL_2 } from '../../../core/sensors/sentinel-2.js';
import { SPECTRA, bandsOf, mix, withGlint } from '../../helpers/bands.js';
import type { Spectrum } from '../../helpers/bands.js';

const REQUIRED = ['B04', 'B06', 'B08', 'B11'] as const;

function classify(pixels: Spectrum[]): number[] {
  const out = new Uint8Array(pixels.length);
  classifySurface(bandsOf(pixels), REQUIRED, DEFAULT_THRESHOLDS, out, SENTINEL_2.quality.toPixel);
  return Array.from(out);
}

describe('classifySurface', () => {
  it('calls clear water and floating canopy water', () => {
    expect(classify([SPECTRA.water, SPECTRA.canopy])).toEqual([PIXEL.water, PIXEL.water]);
  });

  it('calls soil and wet sand land by their SWIR', () => {
    expect(classify([SPECTRA.soil, SPECTRA.wetSand])).toEqual([PIXEL.land, PIXEL.land]);
  });

  it('keeps glinted water and glinted canopy as water although glint lifts B11 over 0.028', () => {
    const glinted = [withGlint(SPECTRA.water, 0.08), withGlint(SPECTRA.canopy, 0.08), withGlint(mix(0.5), 0.12)];
    for (const pixel of glinted) expect(pixel.B11).toBeGreaterThan(DEFAULT_THRESHOLDS.swirLandMax);
    expect(classify(glinted)).toEqual([PIXEL.water, PIXEL.water, PIXEL.water]);
  });

  it('without B03 the glint guard is off and glinted water fails the SWIR test', () => {
    const { B03: _unused, ...noGreen } = withGlint(SPECTRA.water, 0.08);
    expect(classify([noGreen])).toEqual([PIXEL.land]);
  });

  it('masks SCL cloud, cirrus, saturated and snow as cloud and class 3 as shadow', () => {
    const codes = [1, 3, 8, 9, 10, 11];
    const pixels = codes.map((SCL) => ({ ...SPECTRA.water, SCL }));
    expect(classify(pixels)).toEqual([PIXEL.cloud, PIXEL.shadow, PIXEL.cloud, PIXEL.cloud, PIXEL.cloud, PIXEL.cloud]);
  });

  it('does not mask canopy labelled vegetation (4), not vegetated (5) or unclassified (7) by SCL', () => {
    const pixels = [4, 5, 6, 7].map((SCL) => ({ ...SPECTRA.canopy, SCL }));
    expect(classify(pixels)).toEqual([PIXEL.water, PIXEL.water, PIXEL.water, PIXEL.water]);
  });

  it('treats SCL 0 and any NaN required band as nodata', () => {
    const { B06: _unused, ...noRededge } = SPECTRA.canopy;
    expect(classify([{ ...SPECTRA.water, SCL: 0 }, noRededge])).toEqual([PIXEL.nodata, PIXEL.nodata]);
  });

  it('without SCL masks bright cloud by brightness but not strong glint', () => {
    expect(classify([SPECTRA.cloud, withGlint(SPECTRA.water, 0.1)])).toEqual([PIXEL.cloud, PIXEL.water]);
  });
});
