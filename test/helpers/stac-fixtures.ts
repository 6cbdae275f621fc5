/**
 * Scenes for the STAC tests: the real Earth Search scene in `test/fixtures/stac/`, and the
 * synthetic coastal scene written once per machine into the temporary folder, each described by
 * STAC items in the Earth Search and Planetary Computer conventions (`{{base}}` in hrefs is the
 * test server's URL).
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { writeSampleScene } from '../../adapters/local/sample-writer.js';
import { toWgs84, wgs84Bounds } from '../../core/raster/crs.js';
import { type SampleScene, createSampleScene } from '../../core/sample/scene.js';

/** The real scene: id and folder. */
export const REAL_SCENE = {
  id: 'S2A_29RKH_20200219_0_L2A',
  dir: join(import.meta.dirname, '..', 'fixtures', 'stac', 'earth-search', 'S2A_29RKH_20200219_0_L2A'),
} as const;

/** The synthetic coastal scene's parameters (changing them changes the cache folder). */
export const COASTAL = { size: 2048, seed: 3, tileSize: 256, version: 1 } as const;
/** Band files of a scene the server exposes, and their Earth Search keys. */
export const ES_KEYS: Record<string, string> = { B02: 'blue', B03: 'green', B04: 'red', B05: 'rededge1', B06: 'rededge2', B08: 'nir', B11: 'swir16', B12: 'swir22', SCL: 'scl' };

/** The coastal scene's grid and generator (cheap: pixels are made only when read). */
export function coastalScene(): SampleScene {
  return createSampleScene({ width: COASTAL.size, height: COASTAL.size, seed: COASTAL.seed });
}

/** The folder holding the coastal scene's per-band COGs, written on first use (a few seconds). */
export async function coastalSceneDir(): Promise<string> {
  const dir = join(tmpdir(), `kelpie-stac-coastal-v${COASTAL.version}-${COASTAL.size}-${COASTAL.seed}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  await rm(dir, { recursive: true, force: true });
  await writeSampleScene(coastalScene(), dir, { layout: 'per-band', tileSize: COASTAL.tileSize });
  await writeFile(join(dir, '.complete'), new Date().toISOString());
  return dir;
}

/** Lon/lat of the centre of 10 m pixel (col, row) of the coastal scene. */
export function coastalLonLat(col: number, row: number): { lat: number; lng: number } {
  const { grid } = coastalScene();
  const [lng, lat] = toWgs84(grid.crs)(grid.transform.originX + (col + 0.5) * 10, grid.transform.originY - (row + 0.5) * 10);
  return { lat, lng };
}

/** How to fabricate one coastal item. */
export interface CoastalItemOptions {
  id: string;
  datetime: string;
  cloudCover: number;
  /** Bands to list as assets (default: all written). */
  bands?: string[];
  /** Move the declared footprint by this many degrees of longitude (a lying catalog). */
  shiftFootprintDeg?: number;
  /** The scene the item describes (default: the coastal scene); its grid gives the footprint. */
  scene?: SampleScene;
}

/** The coastal scene's footprint polygon and bbox in WGS 84. */
function coastalFootprint(shift = 0, scene = coastalScene()) {
  const { grid } = scene;
  const project = toWgs84(grid.crs);
  const t = grid.transform;
  const corners = [
    [0, 0],
    [grid.width, 0],
    [grid.width, grid.height],
    [0, grid.height],
    [0, 0],
  ].map(([col, row]) => {
    const [lon, lat] = project(t.originX + col * t.pixelWidth, t.originY + row * t.pixelHeight);
    return [lon + shift, lat];
  });
  const [w, s, e, n] = wgs84Bounds(grid);
  return { geometry: { type: 'Polygon', coordinates: [corners] }, bbox: [w + shift, s, e + shift, n] };
}

/** A fabricated Earth Search item for the coastal scene (baseline 04.00, raster:bands offset −0.1). */
export function coastalEarthSearchItem(options: CoastalItemOptions): Record<string, unknown> {
  const bands = options.bands ?? Object.keys(ES_KEYS);
  const assets = Object.fromEntries(
    bands.map((band) => [
      ES_KEYS[band],
      {
        href: `{{base}}/files/${options.id}/${band}.tif`,
        type: 'image/tiff; application=geotiff; profile=cloud-optimized',
        roles: ['data'],
        'raster:bands': [band === 'SCL' ? { nodata: 0, data_type: 'uint8' } : { nodata: 0, data_type: 'uint16', scale: 0.0001, offset: -0.1 }],
      },
    ]),
  );
  return {
    type: 'Feature',
    stac_version: '1.0.0',
    id: options.id,
    collection: 'sentinel-2-l2a',
    ...coastalFootprint(options.shiftFootprintDeg, options.scene),
    properties: {
      datetime: options.datetime,
      'eo:cloud_cover': options.cloudCover,
      's2:processing_baseline': '04.00',
      'earthsearch:boa_offset_applied': false,
      'proj:epsg': 32610,
      'kelpie:synthetic': 'fabricated for tests: core/sample coastal scene',
    },
    assets,
    links: [],
  };
}

/** A fabricated Planetary Computer item for the coastal scene: B04… keys, no raster:bands, signed blob hrefs. */
export function coastalPlanetaryComputerItem(options: CoastalItemOptions): Record<string, unknown> {
  const bands = options.bands ?? Object.keys(ES_KEYS);
  const assets = Object.fromEntries(
    bands.map((band) => [band, { href: `{{base}}/blob/${options.id}/${band}.tif`, type: 'image/tiff; application=geotiff; profile=cloud-optimized', roles: ['data'] }]),
  );
  return {
    type: 'Feature',
    stac_version: '1.0.0',
    id: options.id,
    collection: 'sentinel-2-l2a',
    ...coastalFootprint(options.shiftFootprintDeg),
    properties: { datetime: options.datetime, 'eo:cloud_cover': options.cloudCover, 's2:processing_baseline': '04.00', 's2:mgrs_tile': '10SEF', 'proj:epsg': 32610 },
    assets,
    links: [],
  };
}

/** The real scene's Earth Search item, with its COG hrefs pointing at the test server. */
export async function realEarthSearchItem(): Promise<Record<string, unknown>> {
  const item = JSON.parse(await readFile(join(REAL_SCENE.dir, 'item.json'), 'utf8')) as { assets: Record<string, { href: string }> };
  for (const asset of Object.values(item.assets)) {
    if (asset.href.startsWith('https://') && asset.href.endsWith('.tif')) asset.href = `{{base}}/files/${REAL_SCENE.id}/${basename(asset.href)}`;
  }
  return item;
}
