/**
 * What the names in a result mean, in words a marine scientist reads: methods, species, area
 * modes, thresholds and factors with their units and sources, warnings, pixel classes. Used by
 * the web map and the CLI alike, so both say the same. A name not in a table (a field a newer
 * result adds) is written out in words by {@link words}, never shown as a code name.
 */

/** A label with its unit and where its value comes from. */
export interface Described {
  label: string;
  unit?: string;
  source?: string;
}

const MORA_SOTO = 'Mora-Soto et al. 2020, Remote Sensing 12(4):694';
const OURS = 'Kelpie Carbon, from the end-member spectra of water, canopy and land';

/** Classification methods (`method.name`). */
export const METHOD_LABELS: Record<string, string> = {
  kd: 'Kelp difference (KD, B06 − B04)',
  fai: 'Floating algae index (FAI)',
  ndvi: 'Normalised difference vegetation index (NDVI)',
  ndre: 'Normalised difference red edge (NDRE)',
  consensus: 'Consensus: at least two of KD, FAI and NDVI',
};

/** Short method names, for lists. */
export const METHOD_SHORT: Record<string, string> = { kd: 'KD', fai: 'FAI', ndvi: 'NDVI', ndre: 'NDRE', consensus: 'Consensus' };

/** Species (`method.species`). */
export const SPECIES_LABELS: Record<string, string> = {
  macrocystis: 'Giant kelp (Macrocystis pyrifera)',
  nereocystis: 'Bull kelp (Nereocystis luetkeana)',
  mixed: 'Mixed giant and bull kelp',
};

/** Short species names, for lists. */
export const SPECIES_SHORT: Record<string, string> = { macrocystis: 'giant kelp', nereocystis: 'bull kelp', mixed: 'mixed kelp' };

/** Area modes (`kelp.areaMode`). */
export const AREA_MODE_LABELS: Record<string, string> = {
  binary: 'binary (whole kelp pixels)',
  fractional: 'fractional (canopy cover within each pixel)',
};

/** Area modes in one word, for lists. */
export const AREA_MODE_SHORT: Record<string, string> = { binary: 'binary', fractional: 'fractional' };

/**
 * Which area to report for what (docs/science.md: fractional cover is the base for biomass): one
 * sentence, shown beside the two areas.
 */
export const AREA_GUIDE =
  'Binary area counts every kelp pixel whole: report it as the extent of the canopy (where kelp is). Fractional area counts the canopy cover within each pixel: report it as canopy cover, and use it as the base for biomass.';

/** Thresholds (`method.thresholds`), as the analysis applies them. */
export const THRESHOLD_LABELS: Record<string, Described> = {
  kd: { label: 'Kelp when KD (B06 − B04) is at least', unit: 'reflectance', source: MORA_SOTO },
  fai: { label: 'Kelp when FAI is at least', unit: 'reflectance', source: MORA_SOTO },
  ndvi: { label: 'Kelp when NDVI is at least', unit: 'index, −1 to 1', source: MORA_SOTO },
  ndre: { label: 'Kelp when NDRE is at least', unit: 'index, −1 to 1', source: 'by analogy with NDVI; no published calibration' },
  swirLandMax: { label: 'Land or bright cloud when SWIR (B11) is above', unit: 'reflectance', source: MORA_SOTO },
  glintGreenSwirMin: { label: 'Glint guard: still water when green − SWIR (B03 − B11) is at least', unit: 'reflectance', source: OURS },
  cloudBrightMin: { label: 'Bright cloud (without a scene classification band) when blue or green and SWIR are above', unit: 'reflectance', source: OURS },
  coastBufferM: { label: 'Shore zone: this close to land the 10 m bands decide (20 m bands mix in land)', unit: 'm', source: 'Kelpie Carbon: one 20 m pixel' },
  shoreRedBlueMin: { label: 'Shore test: land (soil, sand) when red − blue (B04 − B02) is at least', unit: 'reflectance', source: OURS },
  shoreGreenPeakMin: { label: 'Shore test: land plants or green algae when the green peak (B03 − mean of B02 and B04) is at least', unit: 'reflectance', source: OURS },
  shoreGreenExcessMax: { label: 'Shore test without a blue band: land when green (B03) exceeds the nearby water’s by at least', unit: 'reflectance', source: OURS },
  shoreNirRedMin: { label: 'Shore test: canopy when NIR − red (B08 − B04) exceeds the nearby water’s by at least', unit: 'reflectance', source: OURS },
};

/** Conversion factors (`method.factors`); their sources come with the result. */
export const FACTOR_LABELS: Record<string, Described> = {
  wetBiomassKgPerM2: { label: 'Canopy wet biomass per area', unit: 'kg/m²' },
  dryPerWet: { label: 'Dry mass per wet mass', unit: 'ratio' },
  carbonPerDry: { label: 'Carbon per dry mass', unit: 'ratio' },
};

/** Units as results write them, as people write them. */
export const UNIT_WORDS: Record<string, string> = { 'kg m-2': 'kg/m²', ratio: 'ratio' };

/** Warning codes (`warnings[].code`) as a title. */
export const WARNING_TITLES: Record<string, string> = {
  BOA_OFFSET_ASSUMED: 'Reflectance offset assumed',
  NO_SCL: 'No scene classification band',
  NO_QUALITY_BAND: 'No cloud mask band',
  COARSE_PIXELS: 'Coarse pixels',
  NO_GLINT_GUARD: 'No glint guard',
  NDVI_GLINT: 'NDVI and sun glint',
  MOSTLY_CLOUDY: 'Mostly cloud',
  WATER_ENDMEMBER_DEFAULT: 'Open-water value assumed',
  CANOPY_ENDMEMBER_DEFAULT: 'Full-canopy value assumed',
  SPECIES_FACTORS: 'Species factors',
  NO_WATER: 'No open water',
};

/** Pixel classes of `result.pixels`, in the order a bar shows them, with what each means. */
export const PIXEL_CLASSES = [
  { key: 'kelp', label: 'kelp', note: 'floating canopy found' },
  { key: 'water', label: 'open water', note: 'looked at, no kelp' },
  { key: 'coast', label: 'coastal strip', note: 'water beside land, left out (no green band for the shore test)' },
  { key: 'land', label: 'land', note: 'not analysed' },
  { key: 'cloud', label: 'cloud', note: 'kelp under it is not counted' },
  { key: 'shadow', label: 'cloud shadow', note: 'kelp under it is not counted' },
  { key: 'nodata', label: 'no data', note: 'outside the image or missing bands' },
] as const;

/** `minBedAreaM2` → `Min bed area m2`: a name no table has, written out in words. */
export function words(name: string): string {
  const spaced = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** The label of `name` in `table`, or the name in words. */
export function describe(table: Record<string, Described>, name: string): Described {
  return Object.hasOwn(table, name) ? table[name] : { label: words(name) };
}

/** The label of `name` in a table of plain labels, or the name in words. */
export function labelOf(table: Record<string, string>, name: string | undefined): string {
  if (!name) return '—';
  return Object.hasOwn(table, name) ? table[name] : words(name);
}
