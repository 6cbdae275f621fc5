/**
 * A Landsat Collection 2 product's metadata file, `…_MTL.json` or `…_MTL.txt` (LSDS-1328,
 * "Level-2 Metadata File"): the same groups and names in JSON (every value a string) or in ODL
 * (`GROUP = NAME` … `NAME = VALUE` … `END_GROUP = NAME`, then `END`). We read the product id,
 * processing level, collection number, spacecraft, acquisition date and scene centre time, and
 * the surface reflectance rule of each reflective band; both forms are parsed into one tree and
 * checked by one schema, so they say the same or fail the same way.
 */
import { z } from 'zod';
import { UnsupportedFormatError } from '../errors.js';
import { describeZodError } from '../validation.js';

/** What the analysis takes from an MTL. */
export interface LandsatMetadata {
  productId: string;
  /** `L2SP`, `L2SR`, `L1TP`… */
  processingLevel: string;
  /** `02`, `01`. */
  collectionNumber: string;
  /** `LANDSAT_8`, `LANDSAT_9`… */
  spacecraft: string;
  /** `DATE_ACQUIRED` with `SCENE_CENTER_TIME`, ISO 8601 in UTC (milliseconds), or the day alone. */
  acquiredAt: string;
  /** `REFLECTANCE_MULT_BAND_n` and `REFLECTANCE_ADD_BAND_n` by band number, where given (Level-2 only). */
  reflectance: Record<number, { mult: number; add: number }>;
}

/** A value of the file: text, a number in text (JSON MTLs quote every value), or a nested group. */
type MtlTree = { [name: string]: string | MtlTree };

const text = z.string().trim().min(1);
const group = z.record(z.string(), z.unknown());

/** The groups read, each with the fields read; other groups and fields are left alone. */
const mtlSchema = z.looseObject({
  PRODUCT_CONTENTS: z.looseObject({ LANDSAT_PRODUCT_ID: text, PROCESSING_LEVEL: text, COLLECTION_NUMBER: text }),
  IMAGE_ATTRIBUTES: z.looseObject({
    SPACECRAFT_ID: text,
    DATE_ACQUIRED: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
    SCENE_CENTER_TIME: z.string().regex(/^\d{2}:\d{2}:\d{2}(\.\d+)?Z?$/, 'expected HH:MM:SS.sssZ').optional(),
  }),
  LEVEL2_SURFACE_REFLECTANCE_PARAMETERS: group.optional(),
});

/**
 * Reads an MTL (`name` ends `.json` or `.txt`); a file that is neither a Collection 2 metadata
 * file nor readable fails with `UnsupportedFormatError` naming it and the field at fault. A
 * Collection 1 MTL (root `L1_METADATA_FILE`) is read as far as to say so: its level and
 * collection number are returned, for the caller to refuse.
 *
 * @example
 * ```ts
 * const mtl = parseMtl(await readText('LC08_L2SP_…_MTL.json'), 'LC08_L2SP_…_MTL.json');
 * mtl.acquiredAt; // '2023-08-15T18:42:38.997Z'
 * ```
 */
export function parseMtl(content: string, name: string): LandsatMetadata {
  const root = /\.json$/i.test(name) ? parseJsonMtl(content, name) : parseOdl(content, name);
  const collection1 = root.L1_METADATA_FILE;
  if (typeof collection1 === 'object') return collection1Metadata(collection1);
  const file = root.LANDSAT_METADATA_FILE;
  if (typeof file !== 'object') throw damaged(name, 'it has no LANDSAT_METADATA_FILE group');
  const parsed = mtlSchema.safeParse(file);
  if (!parsed.success) throw damaged(name, describeZodError(parsed.error));
  const { PRODUCT_CONTENTS: contents, IMAGE_ATTRIBUTES: image, LEVEL2_SURFACE_REFLECTANCE_PARAMETERS: level2 } = parsed.data;
  return {
    productId: contents.LANDSAT_PRODUCT_ID.toUpperCase(),
    processingLevel: contents.PROCESSING_LEVEL.toUpperCase(),
    collectionNumber: contents.COLLECTION_NUMBER.padStart(2, '0'),
    spacecraft: image.SPACECRAFT_ID.toUpperCase(),
    acquiredAt: acquisition(image.DATE_ACQUIRED, image.SCENE_CENTER_TIME),
    reflectance: level2 ? reflectanceRules(level2, name) : {},
  };
}

/** A Collection 1 Level-1 MTL: enough to refuse it by its level and collection. */
function collection1Metadata(file: MtlTree): LandsatMetadata {
  const field = (groupName: string, key: string) => {
    const value = file[groupName];
    return typeof value === 'object' && typeof value[key] === 'string' ? value[key] : '';
  };
  return {
    productId: field('METADATA_FILE_INFO', 'LANDSAT_PRODUCT_ID').toUpperCase(),
    processingLevel: field('PRODUCT_METADATA', 'DATA_TYPE').toUpperCase() || 'L1',
    collectionNumber: field('METADATA_FILE_INFO', 'COLLECTION_NUMBER').padStart(2, '0') || '01',
    spacecraft: field('PRODUCT_METADATA', 'SPACECRAFT_ID').toUpperCase(),
    acquiredAt: field('PRODUCT_METADATA', 'DATE_ACQUIRED'),
    reflectance: {},
  };
}

/** `2023-08-15` and `18:42:38.9970850Z` as `2023-08-15T18:42:38.997Z` (the MTL gives 100 ns). */
function acquisition(date: string, time: string | undefined): string {
  if (!time) return date;
  const [clock, fraction = ''] = time.replace(/Z$/, '').split('.');
  return `${date}T${clock}.${fraction.padEnd(3, '0').slice(0, 3)}Z`;
}

/** `REFLECTANCE_MULT_BAND_n` / `REFLECTANCE_ADD_BAND_n` pairs by band number. */
function reflectanceRules(level2: Record<string, unknown>, name: string): LandsatMetadata['reflectance'] {
  const rules: LandsatMetadata['reflectance'] = {};
  for (const [key, value] of Object.entries(level2)) {
    const match = /^REFLECTANCE_MULT_BAND_(\d+)$/.exec(key);
    if (!match) continue;
    const mult = Number(value);
    const add = Number(level2[`REFLECTANCE_ADD_BAND_${match[1]}`]);
    if (!Number.isFinite(mult) || !Number.isFinite(add)) throw damaged(name, `REFLECTANCE_MULT_BAND_${match[1]} or REFLECTANCE_ADD_BAND_${match[1]} is not a number`);
    rules[Number(match[1])] = { mult, add };
  }
  return rules;
}

function parseJsonMtl(content: string, name: string): MtlTree {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    throw damaged(name, 'it is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw damaged(name, 'it is not a JSON object');
  return stringify(value as Record<string, unknown>);
}

/** JSON values as the ODL form has them: numbers and booleans as text, groups as groups. */
function stringify(value: Record<string, unknown>): MtlTree {
  const tree: MtlTree = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) tree[key] = stringify(item as Record<string, unknown>);
    else if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') tree[key] = String(item);
  }
  return tree;
}

/** ODL as USGS writes MTL.txt: one `NAME = VALUE` per line, quoted or not, groups nested by GROUP / END_GROUP. */
function parseOdl(content: string, name: string): MtlTree {
  const root: MtlTree = {};
  const stack: Array<{ name: string; tree: MtlTree }> = [{ name: '', tree: root }];
  const lines = content.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line === 'END') continue;
    const match = /^([A-Za-z0-9_]+)\s*=\s*(.*)$/.exec(line);
    if (!match) throw damaged(name, `line ${i + 1} is not NAME = VALUE ("${line.slice(0, 40)}")`);
    const [, key, raw] = match;
    const value = raw.replace(/^"(.*)"$/, '$1');
    const top = stack[stack.length - 1];
    if (key === 'GROUP') {
      const child: MtlTree = {};
      top.tree[value] = child;
      stack.push({ name: value, tree: child });
    } else if (key === 'END_GROUP') {
      if (stack.length === 1 || top.name !== value) throw damaged(name, `line ${i + 1} ends group ${value}, which is not the open one (${top.name || 'none'})`);
      stack.pop();
    } else {
      top.tree[key] = value;
    }
  }
  if (stack.length > 1) throw damaged(name, `group ${stack[stack.length - 1].name} is never ended (the file is cut short)`);
  return root;
}

function damaged(name: string, why: string): UnsupportedFormatError {
  return new UnsupportedFormatError(
    `${name} is not a readable Landsat Collection 2 metadata file: ${why}. Download it again with the product, or remove it (the file names then give the scene id and day)`,
    { file: name },
  );
}
