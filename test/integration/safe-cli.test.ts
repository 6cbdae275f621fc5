/**
 * `kelpie analyze` on Sentinel-2 as users have it: a .SAFE folder, a zipped .SAFE, per-band files
 * given as a list or a folder, named in the three styles users meet. The fixture (a .SAFE whose
 * JP2 bands GDAL's JP2OpenJPEG driver wrote from the synthetic sample, with MTD_MSIL2A.xml and
 * MTD_TL.xml) is built here. Every form gives the multi-band GeoTIFF's mask and figures; bad
 * input exits 3 with a message and writes nothing to --out.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalScene } from '../../adapters/local/cli/scene-paths.js';
import { embeddedJpeg2000Decoder } from '../../adapters/jpeg2000/embedded-openjpeg.js';
import { nodeCodecs } from '../../adapters/shared/node-codecs.js';
import { type WorkerExecutor, createWorkerExecutor } from '../../adapters/workers/worker-band-executor.js';
import type { BandTask } from '../../core/analysis/band-task.js';
import type { BandRun } from '../../core/ports/band-executor.js';
import type { Logger } from '../../core/ports/logger.js';
import { analyzeScene, sceneBands } from '../../core/analysis/analyze.js';
import { parseAnalysisOptions } from '../../core/analysis/options.js';
import type { AnalysisResult } from '../../core/analysis/result.js';
import { systemClock } from '../../core/ports/clock.js';
import { PRODUCT_ID, SAFE_NAME, type SafeFixture, buildSafeFixture } from '../helpers/safe-fixture.js';
import { makeZip } from '../helpers/zip.js';

const ROOT = join(import.meta.dirname, '../..');
const run = promisify(execFile);

/** Runs the real CLI entry point in a child process; returns code and output. */
async function kelpie(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'adapters/local/cli/bin.ts'), ...args], { cwd: ROOT, env: { ...process.env, KELPIE_WORKERS: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const options = parseAnalysisOptions({});

/** What `kelpie analyze <paths>` computes, in-process: the same opening and analysis as the CLI. */
async function analyse(paths: string[]): Promise<{ result: AnalysisResult; mask: Uint8Array }> {
  const scene = await openLocalScene(paths, sceneBands(options));
  try {
    return await analyzeScene({ id: 'test', input: scene.input, options, source: scene.source }, { clock: systemClock, codeVersion: 'test', maxImagePixels: 1e8, ...nodeCodecs(), jpeg2000: embeddedJpeg2000Decoder() });
  } finally {
    await scene.close();
  }
}

/** The figures of a result (everything but where it came from and when). */
const figures = (result: AnalysisResult) => ({ grid: result.grid, pixels: result.pixels, kelp: result.kelp, biomass: result.biomass, carbon: result.carbon, map: result.map });

let fixture: SafeFixture;
let reference: { result: AnalysisResult; mask: Uint8Array };
const BANDS = ['B02', 'B03', 'B04', 'B06', 'B08', 'B11', 'SCL'];

beforeAll(async () => {
  fixture = await buildSafeFixture(mkdtempSync(join(tmpdir(), 'kelpie-safe-cli-')));
  reference = await analyse([fixture.multiband]);
}, 120_000);

afterAll(() => {
  if (fixture) rmSync(fixture.dir, { recursive: true, force: true });
});

/** A folder of the per-band GeoTIFFs renamed by `name`. */
function renamed(folder: string, name: (band: string) => string): string {
  const dir = join(fixture.dir, folder);
  mkdirSync(dir, { recursive: true });
  for (const band of BANDS) copyFileSync(join(fixture.bandsDir, `${band}.tif`), join(dir, name(band)));
  return dir;
}

describe('every form of a Sentinel-2 scene gives the multi-band GeoTIFF result', () => {
  it('a .SAFE folder: same mask and figures, product, baseline and offset from its metadata, no offset warning', async () => {
    const { result, mask } = await analyse([fixture.safe]);

    expect(mask).toEqual(reference.mask);
    expect(figures(result)).toEqual(figures(reference.result));
    expect(result.source).toMatchObject({
      sceneId: PRODUCT_ID,
      acquiredAt: '2024-07-15T18:59:19.024Z',
      processingBaseline: '05.11',
      layout: 'per-band',
      reflectance: { kind: 'boa-offset', boaAddOffset: -1000, offset: -0.1 },
    });
    expect(result.source.files?.B04).toMatch(/IMG_DATA\/R10m\/T10SEG_20240715T185919_B04_10m\.jp2$/);
    expect(result.warnings.map((w) => w.code)).not.toContain('BOA_OFFSET_ASSUMED');
  });

  it('a zipped .SAFE, read in place', async () => {
    const { result, mask } = await analyse([fixture.zip]);
    expect(mask).toEqual(reference.mask);
    expect(figures(result)).toEqual(figures(reference.result));
    expect(result.source).toMatchObject({ sceneId: PRODUCT_ID, processingBaseline: '05.11', reflectance: { boaAddOffset: -1000 } });
  });

  it.each([
    { style: 'Sentinel-2 product names (T10SEG_…_B04_10m.jp2), given as a list', paths: () => BANDS.map((band) => fixture.jp2[band]) },
    { style: 'per-band GeoTIFFs given as a list (B04.tif …)', paths: () => BANDS.map((band) => join(fixture.bandsDir, `${band}.tif`)) },
    { style: 'a folder of per-band GeoTIFFs', paths: () => [fixture.bandsDir] },
    { style: 'a folder of …_B04.tif files', paths: () => [renamed('suffixed', (band) => `S2B_MSIL2A_20240715T185919_${band}.tif`)] },
    { style: "a folder of Earth Search's asset names (red.tif …)", paths: () => [renamed('earth-search', (band) => `${EARTH_SEARCH[band]}.tif`)] },
  ])('$style', async ({ paths }) => {
    const { result, mask } = await analyse(paths());
    expect(mask).toEqual(reference.mask);
    expect(figures(result)).toEqual(figures(reference.result));
  });
});

const EARTH_SEARCH: Record<string, string> = { B02: 'blue', B03: 'green', B04: 'red', B06: 'rededge2', B08: 'nir', B11: 'swir16', SCL: 'scl' };

describe('kelpie analyze, as a user runs it', () => {
  it('analyses a zipped .SAFE and prints the product it read', async () => {
    const { code, stdout } = await kelpie(['analyze', fixture.zip, '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as AnalysisResult;
    expect(result.kelp).toEqual(reference.result.kelp);
    expect(result.source.sceneId).toBe(PRODUCT_ID);
  });

  it.each([[['--help']], [['analyze', '--help']], [['sample', '-h']]])('kelpie %j prints usage and exits 0', async (args) => {
    const { code, stdout } = await kelpie(args);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage:/);
  });

  it('analyze --help says which scene forms it takes', async () => {
    const { stdout } = await kelpie(['analyze', '--help']);
    expect(stdout).toContain('.SAFE');
    expect(stdout).not.toContain('kelpie backup');
  });
});

describe('bad input: exit 3, a message that leads somewhere, nothing written to --out', () => {
  /** A copy of the .SAFE, changed by `damage`. */
  function damagedSafe(name: string, damage: (safe: string) => void): string {
    const safe = join(fixture.dir, name, SAFE_NAME);
    cpSync(fixture.safe, safe, { recursive: true });
    damage(safe);
    return safe;
  }
  const jp2In = (safe: string, band: string) => join(safe, fixture.jp2[band].slice(fixture.safe.length + 1));
  const patchJp2 = (path: string, patch: (bytes: Uint8Array, view: DataView) => void) => {
    const bytes = new Uint8Array(readFileSync(path));
    patch(bytes, new DataView(bytes.buffer));
    writeFileSync(path, bytes);
  };
  const find = (bytes: Uint8Array, marker: number[]) => bytes.findIndex((_, i) => marker.every((byte, k) => bytes[i + k] === byte));

  const cases: Array<{ name: string; input: () => string; message: RegExp; code: string }> = [
    {
      name: 'a zip that is not a .SAFE',
      input: () => writeTo('holiday.zip', makeZip([{ path: 'photos/beach.jpg', data: new Uint8Array(100) }])),
      message: /not a Sentinel-2 Level-2A product.*beach\.jpg/,
      code: 'UNSUPPORTED_FORMAT',
    },
    {
      name: 'a .SAFE with a band missing',
      input: () => damagedSafe('no-b11', (safe) => rmSync(jp2In(safe, 'B11'))),
      message: /missing required band B11.*incomplete Level-2A product.*download the whole product again/,
      code: 'MISSING_BAND',
    },
    {
      name: 'a corrupt JP2',
      input: () => damagedSafe('corrupt', (safe) => patchJp2(jp2In(safe, 'B04'), (bytes) => bytes.fill(0x11, find(bytes, [0xff, 0x93]), find(bytes, [0xff, 0x93]) + 2))),
      message: /B04_10m\.jp2.*could not be decoded/,
      code: 'CORRUPT_IMAGE',
    },
    {
      name: 'a JP2 header declaring a huge image',
      input: () =>
        damagedSafe('huge', (safe) =>
          patchJp2(jp2In(safe, 'B08'), (bytes, view) => {
            const siz = find(bytes, [0xff, 0x51]) + 4;
            view.setUint32(siz + 2, 200_000);
            view.setUint32(siz + 6, 200_000);
            const ihdr = find(bytes, [0x69, 0x68, 0x64, 0x72]);
            view.setUint32(ihdr + 4, 200_000);
            view.setUint32(ihdr + 8, 200_000);
          }),
        ),
      message: /B08_10m\.jp2 is (damaged|not a readable JPEG 2000 file|.*over the limit)/,
      code: '(CORRUPT_IMAGE|IMAGE_TOO_LARGE)',
    },
    {
      name: 'a truncated zip',
      input: () => writeTo('cut.zip', readFileSync(fixture.zip).subarray(0, 100_000)),
      message: /truncated/,
      code: 'CORRUPT_ARCHIVE',
    },
    {
      name: 'a zip bomb (a member declaring a huge size)',
      input: () => writeTo('bomb.zip', makeZip([{ path: `${SAFE_NAME}/MTD_MSIL2A.xml`, data: new Uint8Array(1 << 16), method: 'deflate', declaredSize: 8 * 1024 ** 3 }], { zip64: true })),
      message: /MTD_MSIL2A\.xml/,
      code: 'UNSAFE_ARCHIVE',
    },
  ];

  it.each(cases)('$name', async ({ input, message, code }) => {
    const out = join(fixture.dir, `out-${basename(input())}-${code.length}`);
    const { code: exit, stdout, stderr } = await kelpie(['analyze', input(), '--out', out]);

    expect(exit).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(new RegExp(`\\[${code}\\]`));
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});

function writeTo(name: string, bytes: Uint8Array): string {
  const path = join(fixture.dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('JPEG 2000 bands on worker threads', () => {
  it('a .SAFE scanned in bands on two threads (each opening the JP2 files through the main thread’s byte sources) gives the in-process result', async () => {
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (message: string) => void warnings.push(message) } as unknown as Logger;
    const executor = createWorkerExecutor({ workers: 2, minPixels: 0, logger });
    let bands = 0;
    const counted = Object.assign(Object.create(executor) as WorkerExecutor, { run: (task: BandTask, io: BandRun) => (bands++, executor.run(task, io)) });
    const scene = await openLocalScene([fixture.zip], sceneBands(options));
    try {
      const { result, mask } = await analyzeScene({ id: 'workers', input: scene.input, options, source: scene.source }, { clock: systemClock, codeVersion: 'test', maxImagePixels: 1e8, ...nodeCodecs(), jpeg2000: embeddedJpeg2000Decoder(), executor: counted });
      // Two strips of 256 rows, one band each, on the threads (no fall-back to in-process, which warns).
      expect(bands).toBe(2);
      expect(warnings).toEqual([]);
      expect(mask).toEqual(reference.mask);
      expect(figures(result)).toEqual(figures(reference.result));
    } finally {
      await scene.close();
      await executor.pool.close();
    }
  });
});
