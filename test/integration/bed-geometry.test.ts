import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFileSource } from '../../adapters/local/file-source.js';
import { writeSampleScene } from '../../adapters/local/sample-writer.js';
import { analyzeScene } from '../../core/analysis/analyze.js';
import { createSampleScene } from '../../core/sample/scene.js';

const run = promisify(execFile);

/** The scenes test/integration/accuracy.test.ts scores: size and seed. */
const SCENES = [
  [1024, 1],
  [1024, 2],
  [1024, 3],
  [1024, 4],
  [512, 5],
] as const;

/** beds.geojson of one synthetic scene, written to `dir`. */
async function bedsOf(dir: string, size: number, seed: number): Promise<string> {
  const sceneDir = join(dir, `scene-${size}-${seed}`);
  await writeSampleScene(createSampleScene({ width: size, height: size, seed }), sceneDir, { layout: 'multiband' });
  const source = await openFileSource(join(sceneDir, 'sample.tif'));
  try {
    const { artifacts } = await analyzeScene({ id: `seed-${seed}`, input: { kind: 'multiband', source }, source: { uri: 'sample' } }, { clock: { now: () => 0 }, codeVersion: 'test' });
    const file = join(sceneDir, 'beds.geojson');
    await writeFile(file, artifacts.find((artifact) => artifact.name === 'beds.geojson')!.bytes);
    return file;
  } finally {
    await source.close();
  }
}

/** Counts of bed features and of those GEOS calls invalid, by GDAL/OGR's SQLite dialect (`ST_IsValid`). */
async function validity(file: string): Promise<{ beds: number; invalid: number }> {
  const sql = 'SELECT COUNT(*) AS beds, SUM(CASE WHEN ST_IsValid(geometry) THEN 0 ELSE 1 END) AS invalid FROM beds';
  const { stdout } = await run('ogrinfo', ['-q', '-ro', '-dialect', 'SQLite', '-sql', sql, file]);
  const count = (name: string) => Number(new RegExp(`${name} \\(Integer\\) = (\\d+)`).exec(stdout)?.[1] ?? Number.NaN);
  return { beds: count('beds'), invalid: count('invalid') };
}

/** Every bed polygon is valid geometry, as PostGIS, shapely and QGIS require (GEOS `IsValid`). */
describe('beds.geojson of the accuracy scenes, checked by GDAL/OGR', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kelpie-beds-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(SCENES)('%i px square, seed %i: every bed polygon passes ST_IsValid', async (size, seed) => {
    const { beds, invalid } = await validity(await bedsOf(dir, size, seed));

    expect(beds).toBeGreaterThan(0);
    expect(invalid).toBe(0);
  });
});
