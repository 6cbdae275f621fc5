/**
 * The STAC test world: the fixture server with the real scene and the coastal scene's items in
 * both conventions, the AOIs the tests use, and a STAC runtime pointed at it.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type AnalysisOptions, parseAnalysisOptions } from '../../core/analysis/options.js';
import { systemClock } from '../../core/ports/clock.js';
import { type StacRequest, parseStacRequest } from '../../core/stac/stac-request.js';
import { type StacRuntime, createStacRuntime } from '../../core/stac/stac-runtime.js';
import {
  ES_KEYS,
  REAL_SCENE,
  type CoastalItemOptions,
  coastalEarthSearchItem,
  coastalLonLat,
  coastalPlanetaryComputerItem,
  coastalSceneDir,
  realEarthSearchItem,
} from './stac-fixtures.js';
import { type StacServer, startStacServer } from './stac-server.js';

/** Coastal items: three usable July 2023 scenes, a cloudy one, one without rededge2, one whose footprint lies. */
export const COASTAL_ITEMS: CoastalItemOptions[] = [
  { id: 'S2X_COAST_20230701', datetime: '2023-07-01T19:03:00Z', cloudCover: 5 },
  { id: 'S2X_COAST_20230711', datetime: '2023-07-11T19:03:00Z', cloudCover: 12 },
  { id: 'S2X_NOREDEDGE_20230716', datetime: '2023-07-16T19:03:00Z', cloudCover: 6, bands: ['B02', 'B03', 'B04', 'B08', 'B11', 'SCL'] },
  { id: 'S2X_COAST_20230721', datetime: '2023-07-21T19:03:00Z', cloudCover: 45 },
  { id: 'S2X_COAST_20230726', datetime: '2023-07-26T19:03:00Z', cloudCover: 8 },
  { id: 'S2X_LIAR_20220510', datetime: '2022-05-10T19:03:00Z', cloudCover: 1, shiftFootprintDeg: -0.3 },
];

/** AOIs (point, 1 km each way = 2 km square) on the coastal scene, by 10 m pixel of their centre. */
export const AOI = {
  /** Kelp beds off the coast; straddles 2 × 2 tiles of 256 px in every band (the worst case for bytes). */
  kelp: coastalLonLat(1350, 250),
  /** Inside one tile of every band (256 px at 10 m, 256 px at 20 m). */
  aligned: coastalLonLat(1408, 640),
  /** Where the lying footprint says there is data and there is none. */
  offScene: (() => {
    const centre = coastalLonLat(1024, 1024);
    return { lat: centre.lat, lng: centre.lng - 0.3 };
  })(),
  /** In the real desert scene. */
  real: { lat: 24.8, lng: -11.4 },
};

/** Sizes of the coastal scene's band files (the item's assets). */
export async function coastalBandBytes(dir: string): Promise<Record<string, number>> {
  const entries = await Promise.all(Object.keys(ES_KEYS).map(async (band) => [band, (await stat(join(dir, `${band}.tif`))).size] as const));
  return Object.fromEntries(entries);
}

/** Starts the fixture server (pages of 2 items, so searches page). */
export async function startFixtureServer(): Promise<{ server: StacServer; coastalDir: string }> {
  const coastalDir = await coastalSceneDir();
  const real = await realEarthSearchItem();
  const files = { [REAL_SCENE.id]: REAL_SCENE.dir, ...Object.fromEntries(COASTAL_ITEMS.map((item) => [item.id, coastalDir])) };
  const server = await startStacServer({
    earthSearch: () => [real, ...COASTAL_ITEMS.map(coastalEarthSearchItem)],
    planetaryComputer: () => COASTAL_ITEMS.map(coastalPlanetaryComputerItem),
    files,
    pageSize: 2,
  });
  return { server, coastalDir };
}

/** A STAC runtime for the server's catalog, with 127.0.0.1 listed and fast retries. */
export function fixtureRuntime(url: string, outboundHosts = ['127.0.0.1']): StacRuntime {
  return createStacRuntime({ url, fetch: (input, init) => fetch(input, init), outboundHosts, clock: systemClock, retry: { baseDelayMs: 5 } });
}

/**
 * A STAC use case's command from a source and options as a request gives them, each parsed once
 * here as the API and the CLI parse them.
 *
 * @example
 * ```ts
 * await analyzeStac(stacCommand({ point: AOI.kelp, bufferKm: 1, ...JULY }, { method: 'fai' }), deps);
 * ```
 */
export function stacCommand(stac: unknown, options: unknown = {}): { stac: StacRequest; options: AnalysisOptions } {
  return { stac: parseStacRequest(stac), options: parseAnalysisOptions(options) };
}
