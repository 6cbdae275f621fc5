import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createThreadInflate, inflateOnThreadPool } from '../../../adapters/shared/node-inflate.js';
import { decodeTile, streamInflate } from '../../../core/raster/tile-decode.js';
import type { TileLayout } from '../../../core/raster/tile-layout.js';

/** A one-tile layout of `width` × `height` pixels; the offsets do not matter to `decodeTile`. */
function layoutOf(fields: Partial<TileLayout> & Pick<TileLayout, 'bitsPerSample' | 'sampleFormat'>): TileLayout {
  const width = fields.tileWidth ?? 4;
  const height = fields.tileHeight ?? 3;
  return {
    width,
    height,
    tileWidth: width,
    tileHeight: height,
    tilesAcross: 1,
    tilesDown: 1,
    samples: 1,
    planar: 2,
    compression: 8,
    predictor: 1,
    littleEndian: true,
    tiled: true,
    offsets: Float64Array.of(0),
    byteCounts: Float64Array.of(0),
    ...fields,
  };
}

/** TIFF Predictor 2 applied to rows of `values` (what a writer stores), `stride` values per pixel. */
function differenced(values: number[], perRow: number, stride: number, Type: Uint8ArrayConstructor | Uint16ArrayConstructor): Uint8Array | Uint16Array {
  const out = Type.from(values);
  for (let i = values.length - 1; i >= 0; i--) if (i % perRow >= stride) out[i] = values[i] - values[i - stride];
  return out;
}

const bytesOf = (array: ArrayBufferView) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

describe('decodeTile', () => {
  const values = Array.from({ length: 12 }, (_, i) => 1000 + ((i * 7919) % 3000));

  it.each([
    ['the platform streams', streamInflate],
    ['zlib on the thread pool', inflateOnThreadPool],
    ['zlib in the thread', createThreadInflate()],
  ])('inflates a deflate tile and undoes horizontal differencing (%s)', async (_, inflate) => {
    const layout = layoutOf({ bitsPerSample: 16, sampleFormat: 1, predictor: 2 });
    const stored = deflateSync(bytesOf(differenced(values, 4, 1, Uint16Array)));
    expect([...(await decodeTile(stored, layout, 0, inflate))]).toEqual(values);
  });

  it('decodes a pixel-interleaved tile once for all its samples, differencing per sample', async () => {
    const layout = layoutOf({ bitsPerSample: 8, sampleFormat: 1, predictor: 2, samples: 3, planar: 1, tileWidth: 2, tileHeight: 2 });
    const pixels = [10, 200, 30, 250, 5, 40, 1, 2, 3, 0, 255, 128];
    const stored = deflateSync(bytesOf(differenced(pixels, 6, 3, Uint8Array)));
    expect([...(await decodeTile(stored, layout, 0, createThreadInflate()))]).toEqual(pixels);
  });

  it('undoes the floating-point predictor (byte planes, most significant first)', async () => {
    const floats = Float32Array.of(0.0123, -0.5, 1e-7, 0.25, 3.5, -0.0001);
    const layout = layoutOf({ bitsPerSample: 32, sampleFormat: 3, predictor: 3, tileWidth: 3, tileHeight: 2, compression: 1 });
    const stored = new Uint8Array(floats.byteLength);
    for (let r = 0; r < 2; r++) {
      const row = bytesOf(floats.subarray(r * 3, r * 3 + 3));
      const planes = new Uint8Array(12);
      for (let i = 0; i < 3; i++) for (let b = 0; b < 4; b++) planes[(4 - b - 1) * 3 + i] = row[4 * i + b];
      for (let i = 11; i >= 1; i--) planes[i] = (planes[i] - planes[i - 1]) & 0xff;
      stored.set(planes, r * 12);
    }
    const decoded = await decodeTile(stored, layout, 0);
    expect([...decoded]).toEqual([...floats]);
  });

  it('reads big-endian samples, and never changes the bytes it was given', async () => {
    const layout = layoutOf({ bitsPerSample: 16, sampleFormat: 1, compression: 1, littleEndian: false });
    const stored = new Uint8Array(values.flatMap((value) => [value >> 8, value & 0xff]));
    const before = stored.slice();
    expect([...(await decodeTile(stored, layout, 0))]).toEqual(values);
    expect(stored).toEqual(before);
  });

  it('hands an uncompressed tile that needs no change back as a view, without copying', async () => {
    const layout = layoutOf({ bitsPerSample: 16, sampleFormat: 1, compression: 1 });
    const stored = bytesOf(Uint16Array.from(values));
    const decoded = await decodeTile(stored, layout, 0);
    expect(decoded.buffer).toBe(stored.buffer);
  });

  it('refuses a tile that decodes short (a damaged file)', async () => {
    const layout = layoutOf({ bitsPerSample: 16, sampleFormat: 1 });
    const stored = deflateSync(bytesOf(Uint16Array.from(values.slice(0, 8))));
    await expect(decodeTile(stored, layout, 0, createThreadInflate())).rejects.toThrowError(/decoded to 16 bytes, expected 24/);
  });

  it('decodes the last strip of a stripped file with only the rows left', async () => {
    const layout = layoutOf({ bitsPerSample: 16, sampleFormat: 1, tiled: false, height: 5, tileHeight: 3, tilesDown: 2 });
    const stored = deflateSync(bytesOf(Uint16Array.from(values.slice(0, 8))));
    expect([...(await decodeTile(stored, layout, 1, createThreadInflate()))]).toEqual(values.slice(0, 8));
  });
});

describe('createThreadInflate', () => {
  it('inflates into the buffer it is given and returns a view of it', () => {
    const inflate = createThreadInflate();
    const into = new Uint8Array(64);
    const out = inflate(deflateSync(Uint8Array.of(1, 2, 3)), 3, into) as Uint8Array;
    expect(out.buffer).toBe(into.buffer);
    expect([...out]).toEqual([1, 2, 3]);
  });

  it('throws on corrupt data, without crashing the thread, and inflates the next block fine', () => {
    const inflate = createThreadInflate();
    const into = new Uint8Array(64);
    expect(() => inflate(Uint8Array.of(0x78, 0x9c, 1, 2, 3, 4, 5, 6, 7), 3, into)).toThrowError(/zlib/);
    expect([...(inflate(deflateSync(Uint8Array.of(9, 8)), 2, into) as Uint8Array)]).toEqual([9, 8]);
  });
});
