import { PIXEL } from '../analysis/masks.js';
import { type SensorBand, type SensorDescription, faiWeightOf } from './sensor.js';

/**
 * Landsat 8 OLI and Landsat 9 OLI-2 reflective bands of a Collection 2 Level-2 product. Centres
 * are the middles of the bands' nominal ranges (USGS, Landsat 8–9 OLI band designations:
 * B2 0.452–0.512, B3 0.533–0.590, B4 0.636–0.673, B5 0.851–0.879, B6 1.566–1.651,
 * B7 2.107–2.294 µm); OLI-2 has the same nominal bands.
 */
const OLI_BANDS: SensorBand[] = [
  { name: 'SR_B1', role: 'coastal', wavelengthNm: 443, resolutionM: 30 },
  { name: 'SR_B2', role: 'blue', wavelengthNm: 482, resolutionM: 30 },
  { name: 'SR_B3', role: 'green', wavelengthNm: 561.5, resolutionM: 30 },
  { name: 'SR_B4', role: 'red', wavelengthNm: 654.5, resolutionM: 30 },
  { name: 'SR_B5', role: 'nir', wavelengthNm: 865, resolutionM: 30 },
  { name: 'SR_B6', role: 'swir1', wavelengthNm: 1608.5, resolutionM: 30 },
  { name: 'SR_B7', role: 'swir2', wavelengthNm: 2200.5, resolutionM: 30 },
  { name: 'QA_PIXEL', role: 'quality', wavelengthNm: 0, resolutionM: 30 },
];

/**
 * QA_PIXEL bits of Collection 2 (USGS, Landsat 8–9 Collection 2 Level-2 Science Product Guide,
 * LSDS-1619, table 6-3): 0 fill, 1 dilated cloud, 2 cirrus, 3 cloud, 4 cloud shadow, 5 snow,
 * 6 clear, 7 water; bits 8–15 are confidences we do not read.
 */
export const QA_PIXEL_BITS = { fill: 0, dilatedCloud: 1, cirrus: 2, cloud: 3, cloudShadow: 4, snow: 5, clear: 6, water: 7 } as const;

/**
 * The pixel class each low byte of QA_PIXEL forces. Fill (and 0, where the reader puts the
 * file's no-data value) is no data; cloud, dilated cloud, cirrus and snow mask as cloud (as SCL's
 * cloud, cirrus and snow classes do); cloud shadow as shadow. The water bit is a hint only: it
 * comes from a land/water mask that calls dense canopy land, so it never decides a pixel (our SWIR
 * test does, as for Sentinel-2, whose SCL water class is not trusted either).
 */
function qaPixelToPixel(): Uint8Array {
  const table = new Uint8Array(256).fill(255);
  const has = (value: number, bit: number) => (value >> bit) & 1;
  for (let v = 0; v < 256; v++) {
    if (v === 0 || has(v, QA_PIXEL_BITS.fill)) table[v] = PIXEL.nodata;
    else if (has(v, QA_PIXEL_BITS.cloud) || has(v, QA_PIXEL_BITS.dilatedCloud) || has(v, QA_PIXEL_BITS.cirrus)) table[v] = PIXEL.cloud;
    else if (has(v, QA_PIXEL_BITS.cloudShadow)) table[v] = PIXEL.shadow;
    else if (has(v, QA_PIXEL_BITS.snow)) table[v] = PIXEL.cloud;
  }
  return table;
}

/** Lower-case aliases: STAC asset keys of `landsat-c2-l2` (Earth Search and the Planetary Computer use the same), and plain `B4` spellings. */
const ALIASES: Record<string, string> = {
  coastal: 'SR_B1',
  blue: 'SR_B2',
  green: 'SR_B3',
  red: 'SR_B4',
  nir08: 'SR_B5',
  nir: 'SR_B5',
  swir16: 'SR_B6',
  swir22: 'SR_B7',
  qa_pixel: 'QA_PIXEL',
  qa: 'QA_PIXEL',
  b1: 'SR_B1',
  b2: 'SR_B2',
  b3: 'SR_B3',
  b4: 'SR_B4',
  b5: 'SR_B5',
  b6: 'SR_B6',
  b7: 'SR_B7',
};

const LANDSAT_THRESHOLD_NOTES = {
  swirLandMax:
    'transferred from Sentinel-2: OLI band 6 (1.57–1.65 µm) and MSI B11 (1.57–1.66 µm) cover the same water absorption, where open water and canopy stay under 0.03 and land and cloud are above',
  glintGreenSwirMin: 'transferred from Sentinel-2: OLI band 3 and MSI B03 are both centred at 560 nm, and the rule is a difference, so a flat glint term cancels on either',
  fai:
    'transferred from Sentinel-2: with OLI\'s baseline weight (0.221 against MSI\'s 0.177) the FAI of water and of full canopy, computed from the same end-member spectra, differ by under 0.001 between the sensors, well inside the threshold\'s distance from water',
  ndvi: 'transferred from Sentinel-2: NDVI of the same surfaces with OLI band 5 (865 nm) instead of MSI B08 (833 nm) differs by under 0.01 for water and canopy, whose NIR is flat there',
  coastBufferM:
    'one 30 m pixel: every OLI band is 30 m, so the zone is no longer where a coarser SWIR mixes in land, but where a sea pixel may hold some shore; there the colour tests decide (the shore test)',
} as const;

function landsat(id: 'landsat-8' | 'landsat-9', label: string): SensorDescription {
  return {
    id,
    label,
    product: 'Collection 2 Level-2 surface reflectance',
    bands: OLI_BANDS,
    aliases: ALIASES,
    pixelSizeM: 30,
    reflectance: {
      kind: 'linear',
      scale: 0.0000275,
      offset: -0.2,
      fill: 0,
      source: 'USGS Landsat 8–9 Collection 2 Level-2 Science Product Guide (LSDS-1619): reflectance = DN × 0.0000275 − 0.2, 0 is fill',
    },
    quality: {
      band: 'QA_PIXEL',
      toPixel: qaPixelToPixel(),
      description: 'QA_PIXEL fill as no data; cloud, dilated cloud, cirrus and snow as cloud; cloud shadow as shadow; the water bit is not used',
    },
    methods: ['fai', 'ndvi', 'consensus'],
    defaultMethod: 'fai',
    // A 30 m pixel is 900 m² and most canopy pixels are partly covered: counted whole, the
    // generated beds' canopy comes out 60–80 % larger than it is (test/integration/landsat-accuracy.test.ts).
    // Landsat kelp records report canopy cover, not whole pixels (Bell et al. 2020, Remote Sensing
    // of Environment 238:110811, the Kelpwatch series).
    defaultAreaMode: 'fractional',
    thresholds: { coastBufferM: 30 },
    thresholdNotes: LANDSAT_THRESHOLD_NOTES,
    faiBaselineWeight: faiWeightOf(OLI_BANDS),
    resolutionNote:
      '30 m pixels (900 m² each): a bed narrower than about 30 m is seen only as a fraction of a pixel, and the smallest bed area (500 m² by default) is one pixel, so single pixels count as beds; 30 m and 10 m areas of one place agree in total but not bed by bed',
  };
}

/** Landsat 8 OLI, Collection 2 Level-2. */
export const LANDSAT_8 = landsat('landsat-8', 'Landsat 8 OLI');
/** Landsat 9 OLI-2, Collection 2 Level-2. */
export const LANDSAT_9 = landsat('landsat-9', 'Landsat 9 OLI-2');
