/**
 * A small Sentinel-2 Level-2A .SAFE built by the tests from the synthetic sample (core/sample):
 * its bands written as JPEG 2000 by GDAL's JP2OpenJPEG driver (lossless, as ESA's are), laid out
 * as a real product (`GRANULE/L2A_…/IMG_DATA/R10m|R20m/T10SEG_…_B04_10m.jp2`) with an
 * `MTD_MSIL2A.xml` (baseline, BOA_ADD_OFFSET) and `MTD_TL.xml`; beside it the same scene as the
 * multi-band GeoTIFF (`sample.tif`) and per-band GeoTIFFs (`B04.tif` …), and the .SAFE zipped.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeSampleScene } from '../../adapters/local/sample-writer.js';
import { createSampleScene } from '../../core/sample/scene.js';
import { LOSSLESS_JP2, runGdal } from './gdal.js';
import { productMetadataXml, tileMetadataXml } from './safe-metadata.js';
import { makeZip } from './zip.js';

export const PRODUCT_ID = 'S2B_MSIL2A_20240715T185919_N0511_R013_T10SEG_20240715T230122';
export const SAFE_NAME = `${PRODUCT_ID}.SAFE`;
const GRANULE = 'L2A_T10SEG_A038521_20240715T190530';
const STEM = 'T10SEG_20240715T185919';
const BANDS_10 = ['B02', 'B03', 'B04', 'B08'];
const BANDS_20 = ['B05', 'B06', 'B11', 'B12', 'SCL'];

/** Where the fixture's forms of one scene are. */
export interface SafeFixture {
  dir: string;
  /** The multi-band GeoTIFF of the same scene. */
  multiband: string;
  /** Per-band GeoTIFFs, `B02.tif` … `SCL.tif`, in `bandsDir`. */
  bandsDir: string;
  safe: string;
  zip: string;
  /** Each band's JP2 in the .SAFE, by band. */
  jp2: Record<string, string>;
}

/**
 * Builds the fixture in `dir` (a `size` × `size` scene, even; JP2 tiles of `tile` pixels).
 *
 * @example
 * ```ts
 * const fixture = await buildSafeFixture(mkdtempSync(join(tmpdir(), 'safe-')));
 * ```
 */
export async function buildSafeFixture(dir: string, size = 512, tile = 128): Promise<SafeFixture> {
  const scene = createSampleScene({ width: size, height: size, processingBaseline: '05.11' });
  const bandsDir = join(dir, 'bands');
  await writeSampleScene(scene, bandsDir, { layout: 'both', tileSize: 256 });
  const safe = join(dir, SAFE_NAME);
  const imageFiles: string[] = [];
  const jp2: Record<string, string> = {};
  for (const [resolution, bands] of [[10, BANDS_10], [20, BANDS_20]] as const) {
    const folder = join(safe, 'GRANULE', GRANULE, 'IMG_DATA', `R${resolution}m`);
    mkdirSync(folder, { recursive: true });
    for (const band of bands) {
      const name = `${STEM}_${band}_${resolution}m`;
      const path = join(folder, `${name}.jp2`);
      runGdal('gdal_translate', ['-q', ...LOSSLESS_JP2, '-co', `BLOCKXSIZE=${tile}`, '-co', `BLOCKYSIZE=${tile}`, join(bandsDir, `${band}.tif`), path]);
      imageFiles.push(`GRANULE/${GRANULE}/IMG_DATA/R${resolution}m/${name}`);
      jp2[band] = path;
    }
  }
  const t = scene.grid.transform;
  writeText(join(safe, 'MTD_MSIL2A.xml'), productMetadataXml({ productId: PRODUCT_ID, startTime: '2024-07-15T18:59:19.024Z', baseline: '05.11', boaAddOffset: scene.boaAddOffset, imageFiles }));
  writeText(
    join(safe, 'GRANULE', GRANULE, 'MTD_TL.xml'),
    tileMetadataXml({ tileId: `S2B_OPER_MSI_L2A_TL_2BPS_20240715T230122_A038521_${STEM}_N05.11`, sensingTime: '2024-07-15T19:05:30.123Z', epsg: scene.grid.crs.epsg, transform10: t, size10: size }),
  );
  const zip = join(dir, `${PRODUCT_ID}.zip`);
  writeBytes(zip, zipFolder(dir, safe));
  return { dir, multiband: join(bandsDir, 'sample.tif'), bandsDir, safe, zip, jp2 };
}

/** Every file under `folder` as a deflated zip member, paths relative to `root` (the zip holds `X.SAFE/…`, as Copernicus's do). */
export function zipFolder(root: string, folder: string): Uint8Array {
  const files = readdirSync(folder, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return makeZip(
    files.map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path: relative(root, path).split('\\').join('/'), data: new Uint8Array(readFileSync(path)), method: 'deflate' as const };
    }),
  );
}

function writeText(path: string, text: string): void {
  writeBytes(path, new TextEncoder().encode(text));
}

function writeBytes(path: string, bytes: Uint8Array): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, bytes);
}
