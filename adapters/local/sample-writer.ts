/**
 * Writes a synthetic sample scene (`core/sample`) to GeoTIFF files on the local filesystem,
 * streaming tile row by tile row so memory stays bounded by one tile row of all bands,
 * whatever the scene size (a full 10980 × 10980 tile included).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflate } from 'node:zlib';
import type { BandName } from '../../core/analysis/bands.js';
import type { Compress } from '../../core/raster/deflate.js';
import type { PixelWindow } from '../../core/raster/grid.js';
import { TiffEncoder } from '../../core/raster/tiff-encoder.js';
import type { TiffSpec } from '../../core/raster/tiff-encoder.js';
import { landsatFileNames, landsatMetadata, landsatMtlJson, landsatMtlText } from '../../core/sample/landsat-metadata.js';
import { QA_FILL } from '../../core/sample/landsat.js';
import type { LandsatSampleScene, SampleScene } from '../../core/sample/scene.js';

/** Options of {@link writeSampleScene}. */
export interface WriteSampleOptions {
  /**
   * Sentinel-2: `multiband` (default): one `sample.tif`; `per-band`: `B02.tif` … `SCL.tif`; or
   * `both`. Landsat: `per-band` (default): the USGS delivery (`…_SR_B1.TIF` … `…_QA_PIXEL.TIF`,
   * `…_MTL.json`, `…_MTL.txt`); `multiband`: one `sample.tif`; or `both`.
   */
  layout?: 'multiband' | 'per-band' | 'both';
  /** Tile edge in pixels (multiple of 16), default 256. */
  tileSize?: number;
  /** Deflate implementation; default Node's zlib at level 6 (on the libuv thread pool). */
  compress?: Compress;
}

/** Band order of `sample.tif`. */
const MULTIBAND_ORDER: readonly BandName[] = ['B02', 'B03', 'B04', 'B05', 'B06', 'B08', 'B11', 'B12', 'SCL'];

/** What the truth flag bits mean, written into `truth-flags.tif`. */
const FLAG_BITS = '1 land, 2 cloud (thin included), 4 cloud shadow, 8 sun glint > 0.01, 16 foam fraction > 0.05, 32 nodata';

const zlibDeflate = promisify(deflate);
const defaultCompress: Compress = (data) => zlibDeflate(data, { level: 6 });

/** One output file: its encoder and final name. */
interface Output {
  name: string;
  encoder: TiffEncoder;
}

/**
 * Writes, in `dir`: `sample.tif` (multiband on the 10 m grid, bands B02, B03, B04, B05, B06,
 * B08, B11, B12, SCL in that order, 20 m bands repeated 2 × 2, GDAL band descriptions naming
 * them, nodata 0, uint16, GDAL per-band scale 0.0001 and offset BOA_ADD_OFFSET / 10000 on the
 * reflectance bands, dataset metadata PROCESSING_BASELINE and BOA_ADD_OFFSET), and/or per-band
 * `B02.tif` … `SCL.tif` at native resolution (each with its own 10 m or 20 m georeference);
 * always `truth-fraction.tif` (float32 canopy fraction) and `truth-flags.tif` (uint8 `TRUTH`
 * bits). Each file is written under a temporary name in `dir` and renamed when complete; the
 * 10 m files are finished before the 20 m ones are encoded, so only one set of compressed tiles
 * is held at a time. Returns the paths written, in the order written.
 *
 * @example
 * ```ts
 * const paths = await writeSampleScene(createSampleScene({ width: 512, height: 512 }), 'samples/tmp');
 * ```
 */
export async function writeSampleScene(scene: SampleScene | LandsatSampleScene, dir: string, options: WriteSampleOptions = {}): Promise<string[]> {
  if (scene.sensor !== 'sentinel-2') return writeLandsatScene(scene, dir, options);
  const layout = options.layout ?? 'multiband';
  const base = { tileSize: options.tileSize ?? 256, compress: options.compress ?? defaultCompress };
  const multiband = layout !== 'per-band';
  const perBand = layout !== 'multiband';
  await mkdir(dir, { recursive: true });

  const multibandTiff = multiband ? new TiffEncoder(bandSpec(scene, MULTIBAND_ORDER, 10, base)) : undefined;
  const singles10 = perBand ? scene.bands10.map((band) => ({ band, encoder: new TiffEncoder(bandSpec(scene, [band], 10, base)) })) : [];
  // The multiband order holds the 10 m bands too; per-band alone needs only those.
  const bands10 = multiband ? MULTIBAND_ORDER : scene.bands10;
  const fractionTiff = new TiffEncoder(truthSpec(scene, 'float32', 'canopy_fraction', base));
  const flagsTiff = new TiffEncoder(truthSpec(scene, 'uint8', 'truth_flags', base));

  const { width, height } = scene.grid;
  const tileSize = fractionTiff.tileSize;
  for (let tileRow = 0; tileRow < fractionTiff.tilesDown; tileRow++) {
    const window: PixelWindow = { x0: 0, y0: tileRow * tileSize, width, height: Math.min(tileSize, height - tileRow * tileSize) };
    const values = scene.readBands(bands10, window, 10);
    const truth = scene.readTruth(window);
    await Promise.all([
      ...(multibandTiff ? MULTIBAND_ORDER.map((band, i) => multibandTiff.addTileRow(i, tileRow, values[band])) : []),
      ...singles10.map(({ band, encoder }) => encoder.addTileRow(0, tileRow, values[band])),
      fractionTiff.addTileRow(0, tileRow, truth.canopyFraction),
      flagsTiff.addTileRow(0, tileRow, truth.flags),
    ]);
  }

  // Write the 10 m files before encoding the 20 m ones: only one set of compressed tiles is held.
  const paths: string[] = [];
  const files10: Output[] = [
    ...(multibandTiff ? [{ name: 'sample.tif', encoder: multibandTiff }] : []),
    ...singles10.map(({ band, encoder }) => ({ name: `${band}.tif`, encoder })),
    { name: 'truth-fraction.tif', encoder: fractionTiff },
    { name: 'truth-flags.tif', encoder: flagsTiff },
  ];
  for (const { name, encoder } of files10) paths.push(await writeAtomically(join(dir, name), encoder.finish()));

  if (perBand) {
    const singles20 = scene.bands20.map((band) => ({ band, encoder: new TiffEncoder(bandSpec(scene, [band], 20, base)) }));
    const width20 = Math.ceil(width / 2);
    const height20 = Math.ceil(height / 2);
    for (let tileRow = 0; tileRow < singles20[0].encoder.tilesDown; tileRow++) {
      const y0 = tileRow * tileSize;
      const values = scene.readBands(scene.bands20, { x0: 0, y0, width: width20, height: Math.min(tileSize, height20 - y0) }, 20);
      await Promise.all(singles20.map(({ band, encoder }) => encoder.addTileRow(0, tileRow, values[band])));
    }
    for (const { band, encoder } of singles20) paths.push(await writeAtomically(join(dir, `${band}.tif`), encoder.finish()));
  }
  return paths;
}

/** The TIFF spec of a uint16 file holding `bands` at `resolutionM`. */
function bandSpec(
  scene: SampleScene,
  bands: readonly BandName[],
  resolutionM: 10 | 20,
  base: Pick<TiffSpec, 'tileSize' | 'compress'>,
): TiffSpec {
  const factor = resolutionM / 10;
  const { transform } = scene.grid;
  const reflectanceOffset = scene.boaAddOffset / 10000;
  return {
    ...base,
    width: Math.ceil(scene.grid.width / factor),
    height: Math.ceil(scene.grid.height / factor),
    bands: bands.length,
    sampleType: 'uint16',
    georeference: {
      transform: { ...transform, pixelWidth: transform.pixelWidth * factor, pixelHeight: transform.pixelHeight * factor },
      epsg: scene.grid.crs.epsg,
    },
    nodata: 0,
    bandDescriptions: [...bands],
    // reflectance = DN × 0.0001 + BOA_ADD_OFFSET / 10000; SCL codes are not scaled.
    bandScales: bands.map((band) => (band === 'SCL' ? 1 : 0.0001)),
    bandOffsets: bands.map((band) => (band === 'SCL' ? 0 : reflectanceOffset)),
    metadata: sceneMetadata(scene),
  };
}

/** The TIFF spec of a one-band truth raster on the 10 m grid. */
function truthSpec(
  scene: SampleScene,
  sampleType: 'uint8' | 'float32',
  description: string,
  base: Pick<TiffSpec, 'tileSize' | 'compress'>,
): TiffSpec {
  const metadata: Record<string, string> = { ...sceneMetadata(scene) };
  if (sampleType === 'uint8') metadata.FLAG_BITS = FLAG_BITS;
  return {
    ...base,
    width: scene.grid.width,
    height: scene.grid.height,
    bands: 1,
    sampleType,
    georeference: { transform: scene.grid.transform, epsg: scene.grid.crs.epsg },
    bandDescriptions: [description],
    metadata,
  };
}

/** Dataset metadata: how to turn DN into reflectance, and that the data are synthetic. */
function sceneMetadata(scene: SampleScene): Record<string, string> {
  return {
    PROCESSING_BASELINE: scene.processingBaseline,
    BOA_ADD_OFFSET: String(scene.boaAddOffset),
    KELPIE_SYNTHETIC: 'synthetic Sentinel-2 L2A-like scene from Kelpie Carbon core/sample; not a real acquisition',
  };
}

/** Writes `chunks` to a temporary file beside `path`, then renames it to `path`. */
async function writeAtomically(path: string, chunks: Uint8Array[]): Promise<string> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    for (const chunk of chunks) {
      for (let done = 0; done < chunk.length; ) done += (await handle.write(chunk, done, chunk.length - done)).bytesWritten;
    }
    await handle.close();
    await rename(temporary, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
  return path;
}

/** Band order of a Landsat `sample.tif`: the reflective bands the analysis reads (SR_B1, the coastal band, is used by no method), then QA_PIXEL. */
const LANDSAT_MULTIBAND_ORDER: readonly string[] = ['SR_B2', 'SR_B3', 'SR_B4', 'SR_B5', 'SR_B6', 'SR_B7', 'QA_PIXEL'];

/** What marks a Landsat sample's files as synthetic (USGS's own files carry no GDAL metadata). */
const LANDSAT_SYNTHETIC = 'synthetic Landsat Collection 2 Level-2-like scene from Kelpie Carbon core/sample; not a real acquisition';

/**
 * Writes a Landsat sample scene in `dir` as USGS delivers Collection 2 Level-2 (`per-band`, the
 * default): `<product id>_SR_B1.TIF` … `_SR_B7.TIF` (uint16, nodata 0, and no GDAL scale or
 * offset: USGS files carry none, the rule DN × 0.0000275 − 0.2 comes from the product type),
 * `_QA_PIXEL.TIF` (uint16, nodata 1), `_MTL.json` and `_MTL.txt`; or (`multiband`) one
 * `sample.tif` with bands SR_B2 … SR_B7, QA_PIXEL named by GDAL band descriptions (nodata 0:
 * QA_PIXEL's fill value 1 is its own flag), with the product id and date as dataset metadata;
 * or both. Always `truth-fraction.tif` and `truth-flags.tif` on the 30 m grid (mean fraction
 * and OR of the flags of the nine 10 m pixels). Returns the paths written.
 */
async function writeLandsatScene(scene: LandsatSampleScene, dir: string, options: WriteSampleOptions): Promise<string[]> {
  const layout = options.layout ?? 'per-band';
  const base = { tileSize: options.tileSize ?? 256, compress: options.compress ?? defaultCompress };
  const multiband = layout !== 'per-band';
  const perBand = layout !== 'multiband';
  await mkdir(dir, { recursive: true });
  const names = landsatFileNames(scene);
  const { grid } = scene;
  const georeference = { transform: grid.transform, epsg: grid.crs.epsg };
  const spec = (bands: number, sampleType: 'uint8' | 'uint16' | 'float32') => ({ ...base, width: grid.width, height: grid.height, bands, sampleType, georeference });
  const { acquisition } = scene;
  const stackMetadata = {
    KELPIE_SYNTHETIC: LANDSAT_SYNTHETIC,
    LANDSAT_PRODUCT_ID: acquisition.productId,
    SPACECRAFT_ID: acquisition.spacecraftId,
    DATE_ACQUIRED: acquisition.dateAcquired,
    SCENE_CENTER_TIME: acquisition.sceneCenterTime,
  };
  const stack = multiband
    ? new TiffEncoder({ ...spec(LANDSAT_MULTIBAND_ORDER.length, 'uint16'), nodata: 0, bandDescriptions: [...LANDSAT_MULTIBAND_ORDER], metadata: stackMetadata })
    : undefined;
  const singles = perBand
    ? scene.bands.map((band) => ({
        band,
        encoder: new TiffEncoder({
          ...spec(1, 'uint16'),
          nodata: band === 'QA_PIXEL' ? QA_FILL : 0,
          bandDescriptions: [band],
          metadata: { KELPIE_SYNTHETIC: LANDSAT_SYNTHETIC },
        }),
      }))
    : [];
  const truthMetadata = { KELPIE_SYNTHETIC: LANDSAT_SYNTHETIC, LANDSAT_PRODUCT_ID: acquisition.productId, TRUTH_AGGREGATION: LANDSAT_TRUTH_AGGREGATION };
  const fractionTiff = new TiffEncoder({ ...spec(1, 'float32'), bandDescriptions: ['canopy_fraction'], metadata: truthMetadata });
  const flagsTiff = new TiffEncoder({ ...spec(1, 'uint8'), bandDescriptions: ['truth_flags'], metadata: { ...truthMetadata, FLAG_BITS } });
  const read = perBand ? scene.bands : LANDSAT_MULTIBAND_ORDER;
  const tileSize = fractionTiff.tileSize;
  for (let tileRow = 0; tileRow < fractionTiff.tilesDown; tileRow++) {
    const window: PixelWindow = { x0: 0, y0: tileRow * tileSize, width: grid.width, height: Math.min(tileSize, grid.height - tileRow * tileSize) };
    const values = scene.readBands(read, window);
    const truth = scene.readTruth(window);
    await Promise.all([
      ...(stack ? LANDSAT_MULTIBAND_ORDER.map((band, i) => stack.addTileRow(i, tileRow, values[band])) : []),
      ...singles.map(({ band, encoder }) => encoder.addTileRow(0, tileRow, values[band])),
      fractionTiff.addTileRow(0, tileRow, truth.canopyFraction),
      flagsTiff.addTileRow(0, tileRow, truth.flags),
    ]);
  }
  const outputs: Output[] = [
    ...(stack ? [{ name: 'sample.tif', encoder: stack }] : []),
    ...singles.map(({ band, encoder }) => ({ name: names.bands[band], encoder })),
    { name: 'truth-fraction.tif', encoder: fractionTiff },
    { name: 'truth-flags.tif', encoder: flagsTiff },
  ];
  const paths: string[] = [];
  for (const { name, encoder } of outputs) paths.push(await writeAtomically(join(dir, name), encoder.finish()));
  if (perBand) {
    const metadata = landsatMetadata(scene);
    const encode = (text: string) => [new TextEncoder().encode(text)];
    paths.push(await writeAtomically(join(dir, names.mtlJson), encode(landsatMtlJson(metadata))));
    paths.push(await writeAtomically(join(dir, names.mtlText), encode(landsatMtlText(metadata))));
  }
  return paths;
}

/** How a Landsat sample's 30 m truth is made from the 10 m field, written into its truth files. */
const LANDSAT_TRUTH_AGGREGATION =
  'each 30 m pixel covers 3 x 3 10 m pixels of the truth field: canopy fraction is their mean, flags are the OR of theirs (a flag says the surface is somewhere in the pixel)';
