/**
 * Landsat Collection 2 MTL files for tests, in both forms USGS writes (`_MTL.json`, `_MTL.txt`),
 * with the groups and field names of LSDS-1328 and the values of a Level-2 product.
 */

/** What an MTL states. */
export interface MtlFields {
  productId: string;
  processingLevel?: string;
  collection?: string;
  spacecraft?: string;
  date?: string;
  time?: string;
  /** REFLECTANCE_MULT / ADD of bands 1–7 (default 2.75E-05 / -0.2). */
  mult?: string;
  add?: string;
}

function groups(fields: MtlFields): Record<string, Record<string, string>> {
  const level2: Record<string, string> = {};
  for (let band = 1; band <= 7; band++) {
    level2[`REFLECTANCE_MULT_BAND_${band}`] = fields.mult ?? '2.75E-05';
    level2[`REFLECTANCE_ADD_BAND_${band}`] = fields.add ?? '-0.2';
  }
  return {
    PRODUCT_CONTENTS: {
      ORIGIN: 'Image courtesy of the U.S. Geological Survey',
      LANDSAT_PRODUCT_ID: fields.productId,
      PROCESSING_LEVEL: fields.processingLevel ?? 'L2SP',
      COLLECTION_NUMBER: fields.collection ?? '02',
      COLLECTION_CATEGORY: 'T1',
    },
    IMAGE_ATTRIBUTES: {
      SPACECRAFT_ID: fields.spacecraft ?? 'LANDSAT_8',
      SENSOR_ID: 'OLI_TIRS',
      DATE_ACQUIRED: fields.date ?? '2023-08-15',
      SCENE_CENTER_TIME: fields.time ?? '18:42:38.9970850Z',
    },
    LEVEL2_SURFACE_REFLECTANCE_PARAMETERS: level2,
  };
}

/** `…_MTL.json`: every value a string, as USGS writes it. */
export function mtlJson(fields: MtlFields): string {
  return JSON.stringify({ LANDSAT_METADATA_FILE: groups(fields) }, null, 2);
}

/** `…_MTL.txt`: ODL, text values quoted, numbers and dates bare. */
export function mtlText(fields: MtlFields): string {
  const lines = ['GROUP = LANDSAT_METADATA_FILE'];
  for (const [name, values] of Object.entries(groups(fields))) {
    lines.push(`  GROUP = ${name}`);
    for (const [key, value] of Object.entries(values)) {
      const bare = /^-?[\d.E+-]+$/.test(value) || /^\d{4}-\d{2}-\d{2}$/.test(value);
      lines.push(`    ${key} = ${bare ? value : `"${value}"`}`);
    }
    lines.push(`  END_GROUP = ${name}`);
  }
  lines.push('END_GROUP = LANDSAT_METADATA_FILE', 'END', '');
  return lines.join('\n');
}
