import { describe, expect, it } from 'vitest';
import { compressDeflate, inflate } from '../../../core/raster/deflate.js';

/** Deterministic bytes that compress somewhat: a ramp with noise from a linear congruential generator. */
function sampleBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = 12345;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = (i >> 4) + (state >>> 29);
  }
  return bytes;
}

/** Index of the first differing byte, or -1 (vitest's deep equality is slow on megabytes). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  return a.findIndex((value, i) => value !== b[i]);
}

describe('compressDeflate', () => {
  it('writes a zlib (RFC 1950) header', async () => {
    const compressed = await compressDeflate(sampleBytes(100));

    expect(compressed[0] & 0x0f).toBe(8); // CM = deflate
    expect(((compressed[0] << 8) | compressed[1]) % 31).toBe(0); // FCHECK
  });

  it('round-trips through inflate, including inputs larger than stream chunks', async () => {
    for (const length of [0, 1, 1000, 3_000_000]) {
      const original = sampleBytes(length);

      const restored = await inflate(await compressDeflate(original));

      expect(firstDifference(restored, original)).toBe(-1);
    }
  });

  it('compresses a subarray view without reading outside it', async () => {
    const whole = sampleBytes(1000);
    const view = whole.subarray(100, 200);

    const restored = await inflate(await compressDeflate(view));

    expect(restored).toEqual(whole.slice(100, 200));
  });
});

describe('inflate', () => {
  it('rejects bytes that are not a zlib stream', async () => {
    await expect(inflate(new Uint8Array([1, 2, 3, 4, 5]))).rejects.toThrow();
  });
});
