/**
 * The metadata file of a Landsat sample scene, as USGS ships it beside a Collection 2 Level-2
 * product: `…_MTL.json` (a `LANDSAT_METADATA_FILE` object whose values are all strings) and
 * `…_MTL.txt`, the same groups in ODL text (`GROUP = …`, `KEY = value`, strings quoted, numbers
 * and dates bare, `END`). Only the groups and fields a reader of scene identity, time, grid and
 * reflectance coding needs are written; the values describe the synthetic scene.
 */
import { OLI_SAMPLE_BANDS } from './spectra.js';
import { LANDSAT_SR, type LandsatSampleScene } from './landsat.js';

/** One MTL group: fields in order, each a string (as in MTL.json). */
export type MtlGroup = Record<string, string>;

/** The `LANDSAT_METADATA_FILE` of a scene: group name to group. */
export type LandsatMetadataFile = Record<string, MtlGroup>;

/** The file names of a scene's bands, by band (`SR_B4` → `LC08_…_SR_B4.TIF`), and of its metadata files. */
export function landsatFileNames(scene: LandsatSampleScene): { bands: Record<string, string>; mtlJson: string; mtlText: string } {
  const id = scene.acquisition.productId;
  return {
    bands: Object.fromEntries(scene.bands.map((band) => [band, `${id}_${band}.TIF`])),
    mtlJson: `${id}_MTL.json`,
    mtlText: `${id}_MTL.txt`,
  };
}

/** Reflectance bounds of the DN range 1…65535, as the MTL states them (six decimals). */
function reflectanceAt(dn: number): string {
  return (dn * LANDSAT_SR.scale + LANDSAT_SR.offset).toFixed(6);
}

/**
 * The `LANDSAT_METADATA_FILE` of `scene`: PRODUCT_CONTENTS (product id, level L2SP, collection
 * 02, file names), IMAGE_ATTRIBUTES (spacecraft, sensor OLI_TIRS, WRS path/row, date and scene
 * centre time), PROJECTION_ATTRIBUTES (UTM grid of the reflective bands), LEVEL2_PROCESSING_RECORD
 * and LEVEL2_SURFACE_REFLECTANCE_PARAMETERS (REFLECTANCE_MULT_BAND_n 2.75E-05,
 * REFLECTANCE_ADD_BAND_n -0.2 for bands 1–7; LSDS-1619).
 */
export function landsatMetadata(scene: LandsatSampleScene): LandsatMetadataFile {
  const { acquisition: a, grid } = scene;
  const files = landsatFileNames(scene);
  const bandNumbers = OLI_SAMPLE_BANDS.map((band) => Number(band.slice('SR_B'.length)));
  const perBand = (make: (n: number, band: string) => [string, string][]) =>
    Object.fromEntries(bandNumbers.flatMap((n, i) => make(n, OLI_SAMPLE_BANDS[i])));
  const { originX, originY, pixelWidth, pixelHeight } = grid.transform;
  // Corners are pixel centres in the MTL (USGS's convention for CORNER_*_PROJECTION_*).
  const left = originX + pixelWidth / 2;
  const right = originX + (grid.width - 0.5) * pixelWidth;
  const top = originY + pixelHeight / 2;
  const bottom = originY + (grid.height - 0.5) * pixelHeight;
  const metres = (v: number) => v.toFixed(3);
  return {
    PRODUCT_CONTENTS: {
      ORIGIN: 'Kelpie Carbon synthetic scene (core/sample); laid out as a USGS product, not one',
      LANDSAT_PRODUCT_ID: a.productId,
      PROCESSING_LEVEL: 'L2SP',
      COLLECTION_NUMBER: '02',
      COLLECTION_CATEGORY: 'T1',
      OUTPUT_FORMAT: 'GEOTIFF',
      ...perBand((n, band) => [[`FILE_NAME_BAND_${n}`, files.bands[band]]]),
      FILE_NAME_QUALITY_L1_PIXEL: files.bands.QA_PIXEL,
      FILE_NAME_METADATA_ODL: files.mtlText,
      ...perBand((n) => [[`DATA_TYPE_BAND_${n}`, 'UINT16']]),
      DATA_TYPE_QUALITY_L1_PIXEL: 'UINT16',
    },
    IMAGE_ATTRIBUTES: {
      SPACECRAFT_ID: a.spacecraftId,
      SENSOR_ID: 'OLI_TIRS',
      WRS_TYPE: '2',
      WRS_PATH: String(a.wrsPath),
      WRS_ROW: String(a.wrsRow),
      DATE_ACQUIRED: a.dateAcquired,
      SCENE_CENTER_TIME: a.sceneCenterTime,
    },
    PROJECTION_ATTRIBUTES: {
      MAP_PROJECTION: 'UTM',
      DATUM: 'WGS84',
      ELLIPSOID: 'WGS84',
      UTM_ZONE: String(grid.crs.epsg % 100),
      GRID_CELL_SIZE_REFLECTIVE: Math.abs(pixelWidth).toFixed(2),
      REFLECTIVE_LINES: String(grid.height),
      REFLECTIVE_SAMPLES: String(grid.width),
      ORIENTATION: 'NORTH_UP',
      CORNER_UL_PROJECTION_X_PRODUCT: metres(left),
      CORNER_UL_PROJECTION_Y_PRODUCT: metres(top),
      CORNER_UR_PROJECTION_X_PRODUCT: metres(right),
      CORNER_UR_PROJECTION_Y_PRODUCT: metres(top),
      CORNER_LL_PROJECTION_X_PRODUCT: metres(left),
      CORNER_LL_PROJECTION_Y_PRODUCT: metres(bottom),
      CORNER_LR_PROJECTION_X_PRODUCT: metres(right),
      CORNER_LR_PROJECTION_Y_PRODUCT: metres(bottom),
    },
    LEVEL2_PROCESSING_RECORD: {
      LANDSAT_PRODUCT_ID: a.productId,
      PROCESSING_LEVEL: 'L2SP',
      DATE_PRODUCT_GENERATED: `${a.dateProcessed}T00:00:00Z`,
    },
    LEVEL2_SURFACE_REFLECTANCE_PARAMETERS: {
      ...perBand((n) => [
        [`REFLECTANCE_MAXIMUM_BAND_${n}`, reflectanceAt(65535)],
        [`REFLECTANCE_MINIMUM_BAND_${n}`, reflectanceAt(1)],
      ]),
      ...perBand((n) => [
        [`QUANTIZE_CAL_MAX_BAND_${n}`, '65535'],
        [`QUANTIZE_CAL_MIN_BAND_${n}`, '1'],
      ]),
      ...perBand((n) => [
        [`REFLECTANCE_MULT_BAND_${n}`, '2.75E-05'],
        [`REFLECTANCE_ADD_BAND_${n}`, '-0.2'],
      ]),
    },
  };
}

/** `…_MTL.json`: `{ "LANDSAT_METADATA_FILE": { … } }`, indented as USGS indents it. */
export function landsatMtlJson(metadata: LandsatMetadataFile): string {
  return `${JSON.stringify({ LANDSAT_METADATA_FILE: metadata }, null, 2)}\n`;
}

/** ODL leaves numbers (`02`, `2.75E-05`, `-0.2`), dates and date-times bare and quotes the rest. */
const BARE = /^(-?\d+(\.\d+)?(E[-+]?\d+)?|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?)$/i;

/** `…_MTL.txt`: the same groups in ODL (`GROUP = …` / `KEY = value` / `END_GROUP = …`, then `END`). */
export function landsatMtlText(metadata: LandsatMetadataFile): string {
  const lines = ['GROUP = LANDSAT_METADATA_FILE'];
  for (const [group, fields] of Object.entries(metadata)) {
    lines.push(`  GROUP = ${group}`);
    for (const [key, value] of Object.entries(fields)) lines.push(`    ${key} = ${BARE.test(value) ? value : `"${value}"`}`);
    lines.push(`  END_GROUP = ${group}`);
  }
  lines.push('END_GROUP = LANDSAT_METADATA_FILE', 'END', '');
  return lines.join('\n');
}
