import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryBlobStore } from '../../adapters/memory/memory-blob-store.js';
import { systemClock } from '../../core/ports/clock.js';
import { silentLogger } from '../../core/ports/logger.js';
import { type AnalyzeStacDeps, analyzeStac } from '../../core/usecases/analyze-stac.js';
import { AOI, fixtureRuntime, startFixtureServer, stacCommand } from '../helpers/stac-setup.js';
import type { StacServer } from '../helpers/stac-server.js';

let server: StacServer;
let deps: AnalyzeStacDeps;
const JULY = { start: '2023-06-01', end: '2023-08-31', maxCloudCover: 30 };
const baseDeps = { clock: systemClock, logger: silentLogger, codeVersion: 'test', maxImagePixels: 2e8, retry: { baseDelayMs: 5 } };

beforeAll(async () => {
  ({ server } = await startFixtureServer());
  deps = { ...fixtureRuntime(server.planetaryComputerUrl), resultStore: new MemoryBlobStore(), ...baseDeps };
});
afterAll(() => server.close());

describe('Planetary Computer convention', () => {
  it('reads B04… assets, takes the offset from the processing baseline, and finds the kelp', async () => {
    const { result } = await analyzeStac(stacCommand({ point: AOI.kelp, bufferKm: 1, ...JULY }), deps);
    expect(result.source).toMatchObject({
      sceneId: 'S2X_COAST_20230701',
      processingBaseline: '04.00',
      reflectance: { boaAddOffset: -1000, origin: 'stac' },
      stac: { convention: 'planetary-computer', boaAddOffset: -1000, offsetSource: 's2:processing_baseline', assets: { B04: 'B04', B06: 'B06', SCL: 'SCL' } },
    });
    expect(result.kelp.areaHa).toBeGreaterThan(5);
  });

  it('finds the same kelp as the Earth Search items of the same files', async () => {
    const es = { ...fixtureRuntime(server.earthSearchUrl), resultStore: new MemoryBlobStore(), ...baseDeps };
    const stac = { point: AOI.kelp, bufferKm: 1, ...JULY };
    const [fromPc, fromEs] = await Promise.all([analyzeStac(stacCommand(stac, { method: 'kd' }), deps), analyzeStac(stacCommand(stac, { method: 'kd' }), es)]);
    expect(fromPc.result.kelp).toEqual(fromEs.result.kelp);
  });

  it('signs every asset request with a SAS token fetched once and cached until it expires', async () => {
    const runtime = fixtureRuntime(server.planetaryComputerUrl);
    const fresh = { ...runtime, resultStore: new MemoryBlobStore(), ...baseDeps };
    const issued = server.tokensIssued;
    server.log.length = 0;
    await analyzeStac(stacCommand({ point: AOI.kelp, bufferKm: 1, ...JULY }, { minBedAreaM2: 600 }), fresh);
    await analyzeStac(stacCommand({ point: AOI.aligned, bufferKm: 1, ...JULY }, { minBedAreaM2: 600 }), fresh);
    const blobs = server.log.filter((entry) => entry.path.startsWith('/blob/'));
    expect(server.tokensIssued - issued).toBe(1);
    expect(blobs.length).toBeGreaterThan(10);
    expect(blobs.every((entry) => /[?&]sig=[0-9a-f]+/.test(entry.query) && entry.status === 206)).toBe(true);
  });

  it('serves no asset without a token (the fixture behaves like Azure Blob storage)', async () => {
    const response = await fetch(`${server.url}/blob/S2X_COAST_20230701/B04.tif`, { headers: { range: 'bytes=0-15' } });
    expect(response.status).toBe(403);
  });
});
