/**
 * The CLI's STAC command with `--collection` (its values as parsed: repeated, or a comma list):
 * a series of both sensors printed with a sensor column and the note on pixel sizes. Run in
 * process, with the flags as `parseArgs` hands them over.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stacAnalyzeCommand } from '../../adapters/local/cli/stac-command.js';
import { parseAnalysisOptions } from '../../core/analysis/options.js';
import { loadConfig } from '../../core/config.js';
import { LANDSAT, landsatLonLat, landsatPlanetaryComputerItem, landsatSceneDir } from '../helpers/landsat-stac-fixtures.js';
import { coastalPlanetaryComputerItem, coastalSceneDir } from '../helpers/stac-fixtures.js';
import { type StacServer, startStacServer } from '../helpers/stac-server.js';

const S2 = { id: 'S2X_COAST_20230711', datetime: '2023-07-11T19:03:00Z', cloudCover: 4 };
const KELP = landsatLonLat(450, 83);
let server: StacServer;

beforeAll(async () => {
  const [landsatDir, coastalDir] = await Promise.all([landsatSceneDir(), coastalSceneDir()]);
  server = await startStacServer({
    earthSearch: () => [],
    planetaryComputer: () => [landsatPlanetaryComputerItem(), coastalPlanetaryComputerItem(S2)],
    files: { [LANDSAT.itemId]: landsatDir, [S2.id]: coastalDir },
  });
});
afterAll(() => server?.close());

/** Runs the command and returns what it printed. */
async function run(collection: string | string[], json = false): Promise<string> {
  const printed: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (printed.push(String(chunk)), true));
  try {
    const values = { 'stac-url': server.planetaryComputerUrl, point: `${KELP.lat},${KELP.lng}`, from: '2023-07-01', to: '2023-07-31', 'max-cloud': '30', series: true, json, collection };
    await stacAnalyzeCommand(values, parseAnalysisOptions({}), loadConfig({ KELPIE_OUTBOUND_HOSTS: '127.0.0.1' }));
  } finally {
    spy.mockRestore();
  }
  return printed.join('');
}

describe('kelpie analyze --series --collection', () => {
  it('prints each scene with its sensor, and the note on pixel sizes', async () => {
    const text = await run(['sentinel-2-l2a', 'landsat-c2-l2']);
    expect(text).toMatch(/date {8}scene {34}sensor {6}cloud %/);
    expect(text).toMatch(/2023-07-09 {2}LC08_L2SP_044034_20230709_02_T1 +landsat-8 /);
    expect(text).toMatch(/2023-07-11 {2}S2X_COAST_20230711 +sentinel-2 /);
    expect(text).toMatch(/\nNote {6}This series mixes pixel sizes/);
  });

  it('takes a comma list as well, and a Landsat-only series needs no note', async () => {
    const series = JSON.parse(await run('landsat-c2-l2', true));
    expect(series.collections).toEqual(['landsat-c2-l2']);
    expect(series.scenes.map((scene: { sensor: string }) => scene.sensor)).toEqual(['landsat-8']);
    expect(series).not.toHaveProperty('resolutionNote');
    const both = JSON.parse(await run('sentinel-2-l2a,landsat-c2-l2', true));
    expect(both.scenes).toHaveLength(2);
  });
});
