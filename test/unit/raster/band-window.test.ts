import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSampleScene } from '../../../adapters/local/sample-writer.js';
import type { BandName } from '../../../core/analysis/bands.js';
import { BandStack } from '../../../core/raster/band-stack.js';
import { type ByteSource, memoryByteSource } from '../../../core/raster/byte-source.js';
import { createSampleScene } from '../../../core/sample/scene.js';

const BANDS: BandName[] = ['B04', 'B06', 'B08', 'B11', 'SCL'];
let dir = '';
const files: Record<string, Uint8Array> = {};

/** A source over a file in memory that records the ranges read through it. */
function counting(name: string, reads: Array<[number, number]>): ByteSource {
  const inner = memoryByteSource(name, files[name]);
  return { ...inner, read: (offset, length, signal) => (reads.push([offset, length]), inner.read(offset, length, signal)) };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kelpie-window-'));
  await writeSampleScene(createSampleScene({ width: 640, height: 512, seed: 4 }), dir, { layout: 'per-band', tileSize: 128 });
  for (const band of BANDS) files[band] = new Uint8Array(await readFile(join(dir, `${band}.tif`)));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('window-aware tile reads', () => {
  const window = { x0: 300, y0: 140, width: 90, height: 70 };

  it('reads the same values for a window as a whole-width read does', async () => {
    const open = () => BandStack.open({ kind: 'per-band', sources: Object.fromEntries(BANDS.map((b) => [b, memoryByteSource(b, files[b])])) });
    const whole = await (await open()).read(BANDS, { x0: 0, y0: 140, width: 640, height: 70 });
    const part = await (await open()).read(BANDS, window);
    for (const band of BANDS) {
      const expected = Array.from({ length: window.height }, (_, r) => [...whole.get(band)!.subarray(r * 640 + window.x0, r * 640 + window.x0 + window.width)]).flat();
      expect([...part.get(band)!]).toEqual(expected);
    }
  });

  it('fetches only the tile columns under the window', async () => {
    const reads: Array<[number, number]> = [];
    const stack = await BandStack.open({ kind: 'per-band', sources: { B04: counting('B04', reads) } });
    reads.length = 0;
    await stack.read(['B04'], window);
    // Columns 300–389 lie in tile columns 2 and 3 (128 px tiles); rows 140–209 in tile row 1.
    expect(reads).toHaveLength(2);
    const wholeRow = await BandStack.open({ kind: 'per-band', sources: { B04: counting('B04', (reads.length = 0, reads)) } });
    reads.length = 0;
    await wholeRow.read(['B04'], { x0: 0, y0: 140, width: 640, height: 70 });
    expect(reads).toHaveLength(5);
  });
});
