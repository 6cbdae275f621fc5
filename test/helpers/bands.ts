import type { BandName } from '../../core/analysis/bands.js';

/** Reflectance of each band for one pixel; bands left out are absent. */
export type Spectrum = Partial<Record<BandName, number>>;

/**
 * Builds band arrays (one Float32Array per band) from a list of pixel spectra, the one raster
 * helper the unit tests use. Bands missing from a spectrum are NaN for that pixel.
 *
 * @example
 * ```ts
 * const bands = bandsOf([{ B04: 0.02, B06: 0.05 }, { B04: 0.03, B06: 0.01 }]);
 * ```
 */
export function bandsOf(pixels: Spectrum[]): Map<BandName, Float32Array> {
  const names = new Set(pixels.flatMap((pixel) => Object.keys(pixel) as BandName[]));
  const bands = new Map<BandName, Float32Array>();
  for (const name of names) bands.set(name, Float32Array.from(pixels, (pixel) => pixel[name] ?? NaN));
  return bands;
}

/** Representative spectra (reflectance) for hand-checked tests. */
export const SPECTRA = {
  water: { B02: 0.045, B03: 0.035, B04: 0.015, B05: 0.01, B06: 0.006, B08: 0.004, B11: 0.002 },
  canopy: { B02: 0.025, B03: 0.04, B04: 0.025, B05: 0.06, B06: 0.12, B08: 0.2, B11: 0.015 },
  soil: { B02: 0.1, B03: 0.14, B04: 0.18, B05: 0.21, B06: 0.24, B08: 0.27, B11: 0.33 },
  wetSand: { B02: 0.09, B03: 0.11, B04: 0.13, B05: 0.14, B06: 0.15, B08: 0.16, B11: 0.11 },
  cloud: { B02: 0.45, B03: 0.45, B04: 0.45, B05: 0.44, B06: 0.43, B08: 0.42, B11: 0.35 },
} satisfies Record<string, Spectrum>;

/** `spectrum` with `amount` added to every band: a spectrally flat sun-glint term. */
export function withGlint(spectrum: Spectrum, amount: number): Spectrum {
  return Object.fromEntries(Object.entries(spectrum).map(([band, value]) => [band, value + amount]));
}

/** Linear mix of canopy fraction `f` over water. */
export function mix(f: number, canopy: Spectrum = SPECTRA.canopy, water: Spectrum = SPECTRA.water): Spectrum {
  return Object.fromEntries(Object.keys(water).map((band) => [band, f * canopy[band as BandName]! + (1 - f) * water[band as BandName]!]));
}
