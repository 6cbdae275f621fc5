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
import type { SampleScene } from '../../core/sample/scene.js';

/** Options of {@link writeSampleScene}. */
export interface WriteSampleOptions {
  /** `multiband` (default): one `sample.tif`; `per-band`: `B02.tif` … `SCL.tif`; or `both`. */
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
export async function writeSampleScene(scene: SampleScene, dir: string, options: WriteSampleOptions = {}): Promise<string[]> {
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
