import { BAND_ALIASES, BAND_TABLE, type BandName } from '../analysis/bands.js';
import { PIXEL } from '../analysis/masks.js';
import { SCL_CLOUD_CLASSES, SCL_OTHER_MASKED_CLASSES, SCL_SHADOW_CLASSES } from '../analysis/thresholds.js';
import { type SensorBand, SLOT_ROLES, type SensorDescription, faiWeightOf } from './sensor.js';

/** SCL class code to the pixel class it forces: 0 no data; 1, 8, 9, 10, 11 cloud (saturated, cloud, cirrus, snow); 3 shadow. */
function sclToPixel(): Uint8Array {
  const table = new Uint8Array(256).fill(255);
  table[0] = PIXEL.nodata;
  for (const code of SCL_CLOUD_CLASSES) table[code] = PIXEL.cloud;
  for (const code of SCL_OTHER_MASKED_CLASSES) table[code] = PIXEL.cloud;
  for (const code of SCL_SHADOW_CLASSES) table[code] = PIXEL.shadow;
  return table;
}

const bands: SensorBand[] = (Object.keys(BAND_TABLE) as BandName[]).map((name) => ({
  name,
  role: SLOT_ROLES[name],
  wavelengthNm: BAND_TABLE[name].wavelengthNm,
  resolutionM: BAND_TABLE[name].resolutionM,
}));

/**
 * Sentinel-2 MSI Level-2A (ESA): the bands and wavelengths of `BAND_TABLE`, reflectance by the
 * L2A quantification with the product's BOA_ADD_OFFSET, SCL for clouds, every method, and the
 * thresholds of `DEFAULT_THRESHOLDS` (Mora-Soto et al. 2020 calibrated them on it).
 */
export const SENTINEL_2: SensorDescription = {
  id: 'sentinel-2',
  label: 'Sentinel-2 MSI',
  product: 'Level-2A surface reflectance',
  bands,
  aliases: BAND_ALIASES,
  pixelSizeM: 10,
  reflectance: { kind: 'sentinel-2-l2a' },
  quality: {
    band: 'SCL',
    toPixel: sclToPixel(),
    description: 'SCL classes 8, 9 (cloud), 10 (thin cirrus), 1 (saturated) and 11 (snow) masked as cloud, 3 as shadow, 0 as no data',
  },
  methods: ['kd', 'fai', 'ndvi', 'ndre', 'consensus'],
  defaultMethod: 'kd',
  defaultAreaMode: 'binary',
  thresholds: {},
  thresholdNotes: {},
  faiBaselineWeight: faiWeightOf(bands),
  resolutionNote: '10 m pixels (20 m red edge and SWIR): beds down to a few hundred m² are resolved',
};
