import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANDSAT_8 } from '../../core/sensors/landsat.js';
import { SENTINEL_2 } from '../../core/sensors/sentinel-2.js';
import type { StacRuntime } from '../../core/stac/stac-runtime.js';
import { coastalLandsatDir, coastalLandsatItem } from '../helpers/landsat-stac-fixtures.js';
import { coastalPlanetaryComputerItem, coastalSceneDir } from '../helpers/stac-fixtures.js';
import { AOI, fixtureRuntime } from '../helpers/stac-setup.js';
import { type StacServer, startStacServer } from '../helpers/stac-server.js';
import { callApi, siteWorld } from '../helpers/site-world.js';

/**
 * A site watching Sentinel-2 and Landsat together, end to end in one process: the STAC fixture
 * server (Planetary Computer style, SAS-signed, real COGs over HTTP) holding the sample
 * generator's coastal field as a Sentinel-2 scene (10 m, 2023-07-11) and as a Landsat 8 scene
 * (30 m, 2023-08-15), the API creating the site, and every queue message run by the job worker.
 */
const NOW = Date.parse('2023-09-01T06:00:00Z');
const clock = { now: () => NOW };
const S2 = { id: 'S2X_COAST_20230711', datetime: '2023-07-11T19:03:00Z', cloudCover: 4 };
const LANDSAT_ID = String(coastalLandsatItem().id);
let server: StacServer;
let runtime: StacRuntime;

beforeAll(async () => {
  const [s2Dir, landsatDir] = await Promise.all([coastalSceneDir(), coastalLandsatDir()]);
  server = await startStacServer({ earthSearch: () => [], planetaryComputer: () => [coastalPlanetaryComputerItem(S2), coastalLandsatItem()], files: { [S2.id]: s2Dir, [LANDSAT_ID]: landsatDir }, pageSize: 10 });
  runtime = fixtureRuntime(server.planetaryComputerUrl);
}, 120_000);
afterAll(() => server?.close());

const world = () => siteWorld(runtime, server.planetaryComputerUrl, clock);
const call = callApi;

describe('a site watching Sentinel-2 and Landsat 8/9', () => {
  it('observes the scene of each sensor as that sensor, with FAI, and says that its 10 m and 30 m areas differ', async () => {
    const { api, drain } = world();
    const created = await call(api, 'POST', '/api/sites', { name: 'Both sensors', aoi: { point: AOI.kelp, bufferKm: 1 }, since: '2023-07-01', collections: ['sentinel-2-l2a', 'landsat-c2-l2'] });
    expect(created.status).toBe(201);
    const { id } = created.json();

    const outcomes = await drain();
    expect(outcomes.filter((o) => o === 'succeeded').length).toBeGreaterThanOrEqual(2);

    const series = (await call(api, 'GET', `/api/sites/${id}/series`)).json();
    const observations = series.observations.map((o: { sceneId: string; sensor: string; sensorId: string; pixelSizeM: number; status: string }) => [o.sceneId, o.sensorId, o.pixelSizeM, o.status]);
    expect(observations).toEqual([
      [S2.id, 'sentinel-2', 10, 'observed'],
      [LANDSAT_ID, 'landsat-8', 30, 'observed'],
    ]);
    expect(series.sensors.map((s: { sensor: string; observations: number }) => [s.sensor, s.observations])).toEqual([
      ['sentinel-2', 1],
      ['landsat-8', 1],
    ]);
    expect(series.resolutionNote).toContain('30 m and 10 m areas differ in what they resolve');
    expect(series.resolutionNote).toContain(SENTINEL_2.resolutionNote);
    expect(series.resolutionNote).toContain(LANDSAT_8.resolutionNote);
    // Each point's analysis ran as its sensor, both with FAI (the method both run).
    for (const o of series.observations) {
      const analysis = (await call(api, 'GET', `/api/analyses/${o.analysisId}`)).json();
      expect(analysis.source.sensor).toBe(o.sensorId);
      expect(analysis.grid.pixelSizeM).toBe(o.pixelSizeM);
      expect(analysis.method.name).toBe('fai');
      expect(o.kelp.fractionalAreaM2).toBeGreaterThan(0);
    }
    const [s2, landsat] = series.observations;
    // The same field at 10 m and 30 m inside the site's exact area: fractional areas within the 10 %.
    expect(Math.abs(landsat.kelp.fractionalAreaM2 - s2.kelp.fractionalAreaM2) / s2.kelp.fractionalAreaM2).toBeLessThan(0.1);
    console.info(`[site both sensors] fractional canopy over the site: Sentinel-2 ${s2.kelp.fractionalAreaM2} m², Landsat 8 ${landsat.kelp.fractionalAreaM2} m²`);

    const csv = (await call(api, 'GET', `/api/sites/${id}/series`, undefined, { format: 'csv', rows: 'observations' })).text.trim().split('\r\n');
    expect(csv.slice(1).map((line) => line.split(',').slice(-2))).toEqual([
      ['sentinel-2', '10'],
      ['landsat-8', '30'],
    ]);
  }, 120_000);
});
