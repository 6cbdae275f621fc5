/**
 * A synthetic Landsat 8 Collection 2 Level-2 product for the STAC and input tests, and STAC
 * items describing it in Earth Search's and the Planetary Computer's `landsat-c2-l2` styles.
 *
 * The pixels are our own small arrays (no USGS data): 704 × 704 pixels of 30 m in UTM 10N over
 * the coastal Sentinel-2 scene's area (same upper-left corner), land in the east, open water with
 * four elliptical kelp beds, one under a cloud flagged in QA_PIXEL, a cloud-shadowed patch of
 * water, and fill along the bottom. Reflectance is written as Collection 2 DN
 * (`(ρ + 0.2) / 0.0000275`, 0 fill) with a small deterministic noise (seed 11, not tuned), and
 * GDAL (`gdal_translate -of COG`) writes each band as a COG with 256 × 256 tiles, named as USGS
 * names them, beside a `_MTL.json`. Written once per machine into the temporary folder.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSampleScene } from '../../adapters/local/sample-writer.js';
import { toWgs84 } from '../../core/raster/crs.js';
import { type LandsatSampleScene } from '../../core/sample/landsat.js';
import { createSampleScene } from '../../core/sample/scene.js';
import { COASTAL, coastalScene } from './stac-fixtures.js';
import { runGdal } from './gdal.js';
import { mtlJson } from './landsat-metadata.js';

/** The product, its grid, and the cache folder's version (changing the pixels changes it). */
export const LANDSAT = {
  productId: 'LC08_L2SP_044034_20230709_20230718_02_T1',
  /** Earth Search's and the Planetary Computer's item id: the product id without its processing date. */
  itemId: 'LC08_L2SP_044034_20230709_02_T1',
  datetime: '2023-07-09T18:42:38.997Z',
  size: 704,
  pixelM: 30,
  originX: 590000,
  originY: 4060000,
  seed: 11,
  version: 1,
} as const;

/** The bands written, as USGS names them, and their `landsat-c2-l2` asset keys. */
export const LANDSAT_ASSETS: Record<string, string> = {
  SR_B1: 'coastal',
  SR_B2: 'blue',
  SR_B3: 'green',
  SR_B4: 'red',
  SR_B5: 'nir08',
  SR_B6: 'swir16',
  SR_B7: 'swir22',
  QA_PIXEL: 'qa_pixel',
};

const SR_BANDS = ['SR_B1', 'SR_B2', 'SR_B3', 'SR_B4', 'SR_B5', 'SR_B6', 'SR_B7'] as const;
type Surface = 'water' | 'kelp' | 'land' | 'cloud' | 'shadow' | 'fill';

/** Surface reflectance by band (B1…B7): clear coastal water, floating canopy, vegetated land, cloud. */
const SPECTRA: Record<Exclude<Surface, 'fill' | 'shadow'>, number[]> = {
  water: [0.05, 0.045, 0.035, 0.015, 0.008, 0.004, 0.002],
  kelp: [0.03, 0.025, 0.045, 0.025, 0.16, 0.02, 0.01],
  land: [0.07, 0.08, 0.1, 0.13, 0.28, 0.32, 0.22],
  cloud: [0.45, 0.45, 0.45, 0.45, 0.45, 0.35, 0.3],
};

/**
 * QA_PIXEL words (LSDS-1619 table 6-3): clear water (bits 6, 7 and low confidences), clear land
 * (bit 6), cloud (bits 1 and 3, high cloud confidence), cloud shadow (bit 4, high shadow
 * confidence), fill (bit 0).
 */
const QA: Record<Surface, number> = { water: 21952, kelp: 21824, land: 21824, cloud: 778, shadow: 3088, fill: 1 };

/** Beds: centre column, row, radii in pixels. The last lies under the cloud. */
export const LANDSAT_BEDS = [
  { col: 450, row: 83, rx: 20, ry: 10 },
  { col: 470, row: 300, rx: 15, ry: 25 },
  { col: 300, row: 500, rx: 12, ry: 12 },
  { col: 200, row: 200, rx: 15, ry: 10 },
] as const;
const CLOUD = { col0: 170, col1: 240, row0: 180, row1: 220 };
const SHADOW = { col0: 100, col1: 180, row0: 400, row1: 440 };
const LAND_FROM_COL = 560;
const FILL_FROM_ROW = 694;

/** The surface of pixel (col, row). */
export function landsatSurface(col: number, row: number): Surface {
  if (row >= FILL_FROM_ROW) return 'fill';
  if (col >= LAND_FROM_COL) return 'land';
  if (col >= CLOUD.col0 && col < CLOUD.col1 && row >= CLOUD.row0 && row < CLOUD.row1) return 'cloud';
  if (col >= SHADOW.col0 && col < SHADOW.col1 && row >= SHADOW.row0 && row < SHADOW.row1) return 'shadow';
  const inBed = LANDSAT_BEDS.some((bed) => ((col - bed.col) / bed.rx) ** 2 + ((row - bed.row) / bed.ry) ** 2 <= 1);
  return inBed ? 'kelp' : 'water';
}

/** DN of every band, and QA_PIXEL, row by row. */
function landsatBands(): Record<string, Uint16Array> {
  const { size, seed } = LANDSAT;
  const bands: Record<string, Uint16Array> = Object.fromEntries([...SR_BANDS, 'QA_PIXEL'].map((band) => [band, new Uint16Array(size * size)]));
  let state = seed >>> 0;
  const noise = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32 - 0.5) * 0.004;
  };
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const i = row * size + col;
      const surface = landsatSurface(col, row);
      bands.QA_PIXEL[i] = QA[surface];
      if (surface === 'fill') continue;
      const spectrum = surface === 'shadow' ? SPECTRA.water.map((value) => value * 0.5) : SPECTRA[surface];
      SR_BANDS.forEach((band, b) => {
        bands[band][i] = Math.min(65535, Math.max(1, Math.round((spectrum[b] + noise() + 0.2) / 0.0000275)));
      });
    }
  }
  return bands;
}

/** Writes the product's COGs and MTL into `dir` with GDAL (from raw ENVI arrays). */
async function writeLandsatProduct(dir: string): Promise<void> {
  const { size, pixelM, originX, originY, productId } = LANDSAT;
  const header = ['ENVI', `samples = ${size}`, `lines = ${size}`, 'bands = 1', 'header offset = 0', 'file type = ENVI Standard', 'data type = 12', 'interleave = bsq', 'byte order = 0', ''].join('\n');
  for (const [band, values] of Object.entries(landsatBands())) {
    const raw = join(dir, `${band}.raw`);
    await writeFile(raw, Buffer.from(values.buffer, values.byteOffset, values.byteLength));
    await writeFile(join(dir, `${band}.hdr`), header);
    const bounds = [String(originX), String(originY), String(originX + size * pixelM), String(originY - size * pixelM)];
    runGdal('gdal_translate', ['-q', '-of', 'COG', '-co', 'COMPRESS=DEFLATE', '-co', 'BLOCKSIZE=256', '-a_srs', 'EPSG:32610', '-a_ullr', ...bounds, '-a_nodata', band === 'QA_PIXEL' ? '1' : '0', raw, join(dir, `${productId}_${band}.TIF`)]);
    await rm(raw);
    await rm(join(dir, `${band}.hdr`));
  }
  await writeFile(join(dir, `${productId}_MTL.json`), mtlJson({ productId, date: '2023-07-09', time: '18:42:38.9970850Z' }));
}

/** The folder of the product's files, written on first use. */
export async function landsatSceneDir(): Promise<string> {
  const dir = join(tmpdir(), `kelpie-stac-landsat-v${LANDSAT.version}-${LANDSAT.size}-${LANDSAT.seed}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeLandsatProduct(dir);
  await writeFile(join(dir, '.complete'), new Date().toISOString());
  return dir;
}

/** Lon/lat of the centre of pixel (col, row). */
export function landsatLonLat(col: number, row: number): { lat: number; lng: number } {
  const [lng, lat] = toWgs84(coastalScene().grid.crs)(LANDSAT.originX + (col + 0.5) * LANDSAT.pixelM, LANDSAT.originY - (row + 0.5) * LANDSAT.pixelM);
  return { lat, lng };
}

function footprint(): { geometry: Record<string, unknown>; bbox: number[] } {
  const project = toWgs84(coastalScene().grid.crs);
  const extent = LANDSAT.size * LANDSAT.pixelM;
  const corners = [[0, 0], [extent, 0], [extent, extent], [0, extent], [0, 0]].map(([dx, dy]) => project(LANDSAT.originX + dx, LANDSAT.originY - dy));
  const lons = corners.map(([lon]) => lon);
  const lats = corners.map(([, lat]) => lat);
  return { geometry: { type: 'Polygon', coordinates: [corners] }, bbox: [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)] };
}

/** How to fabricate one item of the product. */
export interface LandsatItemOptions {
  /** Override the item id (several items of the same files). */
  id?: string;
  datetime?: string;
  cloudCover?: number;
  /** Earth Search: give each asset an https alternate on the test server (else only s3, requester pays). */
  httpsAlternate?: boolean;
  /** Item properties to set or override (`platform`, `landsat:correction`…). */
  properties?: Record<string, unknown>;
  /** Asset keys to leave out. */
  without?: string[];
  /** `raster:bands` of the reflectance assets (default: the Collection 2 rule). */
  raster?: Record<string, unknown>;
}

const COG = 'image/tiff; application=geotiff; profile=cloud-optimized';

function properties(options: LandsatItemOptions): Record<string, unknown> {
  return {
    datetime: options.datetime ?? LANDSAT.datetime,
    'eo:cloud_cover': options.cloudCover ?? 7,
    platform: 'landsat-8',
    instruments: ['oli', 'tirs'],
    'landsat:wrs_path': '044',
    'landsat:wrs_row': '034',
    'landsat:collection_number': '02',
    'landsat:collection_category': 'T1',
    'landsat:correction': 'L2SP',
    'proj:epsg': 32610,
    'kelpie:synthetic': 'fabricated for tests: test/helpers/landsat-stac-fixtures.ts',
    ...options.properties,
  };
}

function assets(options: LandsatItemOptions, href: (file: string) => string, extra: (file: string) => Record<string, unknown>): Record<string, unknown> {
  const raster = options.raster ?? { nodata: 0, data_type: 'uint16', scale: 0.0000275, offset: -0.2 };
  return Object.fromEntries(
    Object.entries(LANDSAT_ASSETS)
      .filter(([, key]) => !options.without?.includes(key))
      .map(([band, key]) => {
        const file = `${LANDSAT.productId}_${band}.TIF`;
        const bands = band === 'QA_PIXEL' ? { nodata: 1, data_type: 'uint16' } : raster;
        return [key, { href: href(file), type: COG, roles: band === 'QA_PIXEL' ? ['cloud', 'cloud-shadow', 'snow-ice', 'water-mask'] : ['data', 'reflectance'], 'raster:bands': [bands], ...extra(file) }];
      }),
  );
}

/** Where the USGS bucket keeps the product's files. */
const s3Href = (file: string) => `s3://usgs-landsat/collection02/level-2/standard/oli-tirs/2023/044/034/${LANDSAT.productId}/${file}`;

/**
 * An Earth Search style item: hrefs in the requester-pays `s3://usgs-landsat` bucket with an
 * `alternate.s3` (requester pays), and, when asked, an `alternate.https` copy on the test server.
 */
export function landsatEarthSearchItem(options: LandsatItemOptions = {}): Record<string, unknown> {
  const id = options.id ?? LANDSAT.itemId;
  return {
    type: 'Feature',
    stac_version: '1.0.0',
    id,
    collection: 'landsat-c2-l2',
    ...footprint(),
    properties: properties(options),
    assets: assets(options, s3Href, (file) => ({
      alternate: {
        s3: { href: s3Href(file), 'storage:platform': 'AWS', 'storage:requester_pays': true },
        ...(options.httpsAlternate ? { https: { href: `{{base}}/files/${id}/${file}` } } : {}),
      },
    })),
    links: [],
  };
}

/** A Planetary Computer style item: https hrefs in (fake) Azure blob storage, signed with the collection's SAS token. */
export function landsatPlanetaryComputerItem(options: LandsatItemOptions = {}): Record<string, unknown> {
  const id = options.id ?? LANDSAT.itemId;
  return {
    type: 'Feature',
    stac_version: '1.0.0',
    id,
    collection: 'landsat-c2-l2',
    ...footprint(),
    properties: properties(options),
    assets: assets(options, (file) => `{{base}}/blob/${id}/${file}`, () => ({})),
    links: [],
  };
}

/**
 * The coastal Sentinel-2 scene's truth field seen by Landsat 8 (`core/sample`, 30 m, QA_PIXEL,
 * MTLs), the same place at 10 m and 30 m: its product as USGS names it, written once per machine.
 */
export const COASTAL_LANDSAT = { date: '2023-08-15', version: 1 } as const;

/** The coastal field at 30 m (cheap: pixels are made only when read). */
export function coastalLandsatScene(): LandsatSampleScene {
  return createSampleScene({ width: COASTAL.size, height: COASTAL.size, seed: COASTAL.seed, sensor: 'landsat-8', date: COASTAL_LANDSAT.date });
}

/** The folder of the coastal Landsat product's files (as the sample writer writes them), written on first use. */
export async function coastalLandsatDir(): Promise<string> {
  const dir = join(tmpdir(), `kelpie-stac-coastal-landsat-v${COASTAL_LANDSAT.version}-${COASTAL.size}-${COASTAL.seed}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  await rm(dir, { recursive: true, force: true });
  await writeSampleScene(coastalLandsatScene(), dir, { layout: 'per-band', tileSize: 256 });
  await writeFile(join(dir, '.complete'), new Date().toISOString());
  return dir;
}

/** A Planetary Computer style item of the coastal Landsat product (footprint from its 30 m grid). */
export function coastalLandsatItem(): Record<string, unknown> {
  const scene = coastalLandsatScene();
  const { productId } = scene.acquisition;
  const id = productId.replace(/_\d{8}_02_/, '_02_');
  const project = toWgs84(scene.grid.crs);
  const t = scene.grid.transform;
  const corners = [[0, 0], [scene.grid.width, 0], [scene.grid.width, scene.grid.height], [0, scene.grid.height], [0, 0]].map(([col, row]) => project(t.originX + col * t.pixelWidth, t.originY + row * t.pixelHeight));
  const lons = corners.map(([lon]) => lon);
  const lats = corners.map(([, lat]) => lat);
  return {
    type: 'Feature',
    stac_version: '1.0.0',
    id,
    collection: 'landsat-c2-l2',
    geometry: { type: 'Polygon', coordinates: [corners] },
    bbox: [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)],
    properties: properties({ datetime: `${COASTAL_LANDSAT.date}T18:40:52.331Z`, cloudCover: 3 }),
    assets: Object.fromEntries(
      Object.entries(LANDSAT_ASSETS).map(([band, key]) => [
        key,
        { href: `{{base}}/blob/${id}/${productId}_${band}.TIF`, type: COG, roles: ['data'], 'raster:bands': [band === 'QA_PIXEL' ? { nodata: 1 } : { nodata: 0, scale: 0.0000275, offset: -0.2 }] },
      ]),
    ),
    links: [],
  };
}
