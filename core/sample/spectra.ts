/**
 * End-member surface reflectance spectra for the synthetic sample scene.
 *
 * Values are approximate bottom-of-atmosphere reflectance (0–1) at the Sentinel-2 band centres
 * (see `BAND_TABLE`). They are shaped after published spectra, not exact digitisations:
 *
 * - green vegetation, bare soil, dry and wet sand: the shapes of the USGS Spectral Library
 *   Version 7 (Kokaly et al. 2017, USGS Data Series 1035) vegetation, soil and beach-sand
 *   spectra, convolved by eye to the Sentinel-2 bands;
 * - clear coastal water and dense floating *Macrocystis* canopy: the Sentinel-2 kelp and water
 *   spectra of Mora-Soto et al. 2020 (*Remote Sensing* 12(4):694, the canopy vs water figure)
 *   and similar published kelp-canopy spectra: a red-edge rise to a NIR plateau of about 0.2 over
 *   water that is near 0 beyond 700 nm;
 * - thick cloud and whitecap foam: bright and nearly flat in the visible and NIR; foam, being
 *   water, drops sharply in the SWIR, cloud much less.
 *
 * Only the relationships matter for the tests (canopy red edge over dark water, land and cloud
 * bright in the SWIR, foam and glint spectrally flat), and they match the real spectra.
 */
import { BAND_TABLE } from '../analysis/bands.js';
import { LANDSAT_8 } from '../sensors/landsat.js';

/** The reflectance bands the sample scene generates, in this (wavelength) order. */
export const SAMPLE_BANDS = ['B02', 'B03', 'B04', 'B05', 'B06', 'B08', 'B11', 'B12'] as const;

/** One of {@link SAMPLE_BANDS}. */
export type SampleBand = (typeof SAMPLE_BANDS)[number];

/** The surfaces the scene is mixed from. */
export type EndMember = 'water' | 'turbidWater' | 'canopy' | 'vegetation' | 'soil' | 'drySand' | 'wetSand' | 'cloud' | 'foam';

/**
 * Reflectance per end-member, in {@link SAMPLE_BANDS} order:
 * B02 490, B03 560, B04 665, B05 705, B06 740, B08 833, B11 1612, B12 2190 nm.
 */
export const SPECTRA: Readonly<Record<EndMember, readonly number[]>> = {
  //           B02    B03    B04    B05    B06    B08    B11    B12
  water: [0.045, 0.035, 0.015, 0.01, 0.006, 0.004, 0.002, 0.001],
  // Sediment-laden plume water: suspended sediment scatters most in green and red, some in the
  // red edge and NIR, and water absorbs the SWIR (shape after Doxaran et al. 2002, Remote
  // Sensing of Environment 81:149, and Nechad et al. 2010, RSE 114:854).
  turbidWater: [0.05, 0.065, 0.045, 0.035, 0.02, 0.014, 0.003, 0.0015],
  canopy: [0.025, 0.04, 0.025, 0.06, 0.12, 0.2, 0.015, 0.008],
  vegetation: [0.04, 0.08, 0.05, 0.12, 0.28, 0.35, 0.22, 0.11],
  soil: [0.1, 0.14, 0.18, 0.21, 0.24, 0.27, 0.33, 0.28],
  drySand: [0.16, 0.2, 0.24, 0.26, 0.28, 0.3, 0.38, 0.33],
  wetSand: [0.09, 0.11, 0.13, 0.14, 0.15, 0.16, 0.11, 0.08],
  cloud: [0.45, 0.45, 0.45, 0.44, 0.43, 0.42, 0.35, 0.3],
  foam: [0.35, 0.35, 0.33, 0.3, 0.28, 0.25, 0.08, 0.04],
};

/** Band indices (into {@link SAMPLE_BANDS}) whose canopy-over-red contrast varies per bed. */
export const RED_EDGE_NIR_INDICES: readonly number[] = [3, 4, 5];

/** Index of B04 (red) in {@link SAMPLE_BANDS}. */
export const RED_INDEX = 2;

/**
 * Relative spectral shape of sun glint in {@link SAMPLE_BANDS} order: Fresnel reflectance of the
 * sea surface at normal incidence, ((n − 1) / (n + 1))², with the refractive index of water at
 * each band centre (Hale & Querry 1973, Applied Optics 12:555: 1.338 at 490 nm … 1.317 at
 * 1612 nm, 1.29 at 2190 nm), normalised to B02. Glint is nearly flat across the visible and NIR
 * and 10–25 % weaker in the SWIR. The `natural` scene variation uses it; the default scene's
 * glint is exactly flat.
 */
export const GLINT_SHAPE: readonly number[] = [1, 0.98, 0.965, 0.96, 0.955, 0.95, 0.896, 0.767];


/**
 * Everything the surface mixing needs of one sensor's band set: its bands in wavelength order,
 * each end-member's reflectance and glint's relative shape at those bands, and which bands carry
 * the canopy's per-bed red-edge/NIR excess over which red band.
 */
export interface SpectralSet {
  bands: readonly string[];
  spectra: Readonly<Record<EndMember, readonly number[]>>;
  glintShape: readonly number[];
  redEdgeNirIndices: readonly number[];
  redIndex: number;
}

/** The Sentinel-2 MSI set: the tables above, as the scene has always been mixed. */
export const MSI_SET: SpectralSet = {
  bands: SAMPLE_BANDS,
  spectra: SPECTRA,
  glintShape: GLINT_SHAPE,
  redEdgeNirIndices: RED_EDGE_NIR_INDICES,
  redIndex: RED_INDEX,
};

/** Centre wavelengths of {@link SAMPLE_BANDS} (from `BAND_TABLE`), nm. */
const MSI_CENTRES_NM: readonly number[] = SAMPLE_BANDS.map((band) => BAND_TABLE[band].wavelengthNm);

/**
 * The value of an MSI-band table (`values` in {@link SAMPLE_BANDS} order) at wavelength `nm`:
 *
 * - between two neighbouring MSI centres, linear in wavelength;
 * - between B08 (833 nm) and B11 (1612 nm), the nearer of the two: that gap spans the water
 *   absorption at 1.4 µm, where reflectance does not fall linearly, and the table has no B8A
 *   (865 nm); the NIR plateau of vegetation and canopy and the flat NIR of water, sand, soil,
 *   cloud and foam make B08's value the one at 865 nm, and OLI band 6 (1566–1651 nm) covers the
 *   same absorption window as MSI B11 (1565–1655 nm);
 * - below B02 (490 nm) or above B12 (2190 nm), the end value: OLI's coastal band (443 nm) and
 *   blue (482 nm) take B02's, its SWIR 2 (2200.5 nm, band 2107–2294 nm against MSI's
 *   2115–2290 nm) B12's.
 */
export function atWavelength(values: readonly number[], nm: number): number {
  const centres = MSI_CENTRES_NM;
  const last = centres.length - 1;
  if (nm <= centres[0]) return values[0];
  if (nm >= centres[last]) return values[last];
  let i = 0;
  while (centres[i + 1] < nm) i++;
  const below = centres[i];
  const above = centres[i + 1];
  if (SAMPLE_BANDS[i] === 'B08') return nm - below <= above - nm ? values[i] : values[i + 1];
  const t = (nm - below) / (above - below);
  return values[i] + t * (values[i + 1] - values[i]);
}

/** The Landsat 8/9 OLI reflective bands, in wavelength order (SR_B1 coastal … SR_B7 SWIR 2). */
export const OLI_SAMPLE_BANDS = ['SR_B1', 'SR_B2', 'SR_B3', 'SR_B4', 'SR_B5', 'SR_B6', 'SR_B7'] as const;

/** One of {@link OLI_SAMPLE_BANDS}. */
export type OliSampleBand = (typeof OLI_SAMPLE_BANDS)[number];

/** OLI centre wavelengths, from the sensor description (core/sensors/landsat.ts). */
const OLI_CENTRES_NM: readonly number[] = OLI_SAMPLE_BANDS.map((name) => {
  const band = LANDSAT_8.bands.find((b) => b.name === name);
  if (!band) throw new Error(`the Landsat 8 description has no ${name}`);
  return band.wavelengthNm;
});

/** Every spectrum of `table` at the OLI centres. */
function atOliCentres(table: Readonly<Record<EndMember, readonly number[]>>): Record<EndMember, readonly number[]> {
  const out = {} as Record<EndMember, readonly number[]>;
  for (const member of Object.keys(table) as EndMember[]) out[member] = OLI_CENTRES_NM.map((nm) => atWavelength(table[member], nm));
  return out;
}

/**
 * The Landsat OLI set: every end-member spectrum and the glint shape read off the MSI tables at
 * OLI's centres by {@link atWavelength} (443 and 482 nm → B02; 561.5 nm → 0.986 B03 + 0.014 B04;
 * 654.5 nm → 0.1 B03 + 0.9 B04; 865 nm → B08; 1608.5 nm → B11; 2200.5 nm → B12). The same
 * surfaces, seen through other filters: no new spectrum is made up. The canopy's per-bed excess
 * is carried by band 5 (NIR), OLI having no red-edge band.
 */
export const OLI_SET: SpectralSet = {
  bands: OLI_SAMPLE_BANDS,
  spectra: atOliCentres(SPECTRA),
  glintShape: OLI_CENTRES_NM.map((nm) => atWavelength(GLINT_SHAPE, nm)),
  redEdgeNirIndices: [OLI_SAMPLE_BANDS.indexOf('SR_B5')],
  redIndex: OLI_SAMPLE_BANDS.indexOf('SR_B4'),
};
