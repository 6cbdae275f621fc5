// The full-size .SAFE of `npm run bench:safe`, made once into .bench/ (not committed) from the
// bench scene (bench/bench-scene.ts) with GDAL: each band written by gdal_translate's JP2OpenJPEG
// driver, lossless (reversible 5/3) with 1024-pixel tiles as Sentinel-2's 10 m files have, laid
// out as a Level-2A product with its MTD_MSIL2A.xml (baseline 05.11, BOA_ADD_OFFSET −1000) and
// MTD_TL.xml; then the same product zipped (deflate, as the Copernicus Data Space serves it).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { productMetadataXml, tileMetadataXml } from '../test/helpers/safe-metadata.js';
import { BENCH_SIZE, PYTHON } from './bench-scene.js';

const PRODUCT_ID = 'S2B_MSIL2A_20240715T185919_N0511_R013_T10SEG_20240715T230122';
const GRANULE = 'L2A_T10SEG_A038521_20240715T190530';
const STEM = 'T10SEG_20240715T185919';
const BANDS: Array<[band: string, resolutionM: number]> = [['B02', 10], ['B03', 10], ['B04', 10], ['B08', 10], ['B05', 20], ['B06', 20], ['B11', 20], ['B12', 20], ['SCL', 20]];

/** The .SAFE folder and its zip, made from the bench scene in `sceneDir` unless already there. */
export async function ensureBenchSafe(sceneDir: string): Promise<{ safe: string; zip: string }> {
  const dir = join('.bench', `safe-${BENCH_SIZE}`);
  const safe = join(dir, `${PRODUCT_ID}.SAFE`);
  const zip = join(dir, `${PRODUCT_ID}.zip`);
  if (existsSync(join(dir, '.complete'))) return { safe, zip };
  await rm(dir, { recursive: true, force: true });
  const started = performance.now();
  process.stderr.write(`bench: writing a ${BENCH_SIZE} × ${BENCH_SIZE} .SAFE with GDAL's JP2OpenJPEG in ${dir} (once; reused after)\n`);
  const imageFiles: string[] = [];
  for (const [band, resolutionM] of BANDS) {
    const folder = join(safe, 'GRANULE', GRANULE, 'IMG_DATA', `R${resolutionM}m`);
    await mkdir(folder, { recursive: true });
    const name = `${STEM}_${band}_${resolutionM}m`;
    execFileSync('gdal_translate', ['-q', '-of', 'JP2OpenJPEG', '-co', 'QUALITY=100', '-co', 'REVERSIBLE=YES', '-co', 'YCBCR420=NO', '-co', 'BLOCKXSIZE=1024', '-co', 'BLOCKYSIZE=1024', join(sceneDir, `${band}.tif`), join(folder, `${name}.jp2`)], {
      stdio: 'inherit',
      env: { ...process.env, GDAL_PAM_ENABLED: 'NO' },
    });
    imageFiles.push(`GRANULE/${GRANULE}/IMG_DATA/R${resolutionM}m/${name}`);
  }
  await writeFile(join(safe, 'MTD_MSIL2A.xml'), productMetadataXml({ productId: PRODUCT_ID, startTime: '2024-07-15T18:59:19.024Z', baseline: '05.11', boaAddOffset: -1000, imageFiles }));
  const info = JSON.parse(execFileSync('gdalinfo', ['-json', join(sceneDir, 'B04.tif')], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  const [originX, pixelWidth, , originY, , pixelHeight] = info.geoTransform as number[];
  const epsg = Number(/"EPSG",(\d+)\]\]$/.exec(String(info.coordinateSystem.wkt).replace(/\s+/g, ''))?.[1] ?? 32610);
  await writeFile(
    join(safe, 'GRANULE', GRANULE, 'MTD_TL.xml'),
    tileMetadataXml({ tileId: `S2B_OPER_MSI_L2A_TL_2BPS_20240715T230122_A038521_${STEM}_N05.11`, sensingTime: '2024-07-15T19:05:30.123Z', epsg, transform10: { originX, originY, pixelWidth, pixelHeight }, size10: BENCH_SIZE }),
  );
  // Deflated members, paths under the .SAFE folder, as Copernicus's zips have them.
  execFileSync(PYTHON, ['-c', ZIP_SCRIPT, dir, `${PRODUCT_ID}.SAFE`, `${zip}.tmp`], { stdio: 'inherit' });
  execFileSync('mv', [`${zip}.tmp`, zip]);
  await writeFile(join(dir, '.complete'), '');
  process.stderr.write(`bench: .SAFE written in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return { safe, zip };
}

const ZIP_SCRIPT = `
import os, sys, zipfile
root, folder, out = sys.argv[1:4]
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED, compresslevel=6) as z:
    for base, _, files in os.walk(os.path.join(root, folder)):
        for name in sorted(files):
            path = os.path.join(base, name)
            z.write(path, os.path.relpath(path, root))
`;
