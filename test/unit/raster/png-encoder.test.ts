import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../core/errors.js';
import { compressDeflate, inflate } from '../../../core/raster/deflate.js';
import { encodePng } from '../../../core/raster/png-encoder.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

interface DecodedPng {
  width: number;
  height: number;
  ihdr: Uint8Array;
  chunkTypes: string[];
  filters: number[];
  rgba: Uint8Array;
}

/** A minimal PNG reader for 8-bit RGBA: checks the signature and every CRC, inflates and un-filters. */
async function decodePng(png: Uint8Array): Promise<DecodedPng> {
  expect(Array.from(png.subarray(0, 8))).toEqual(SIGNATURE);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunkTypes: string[] = [];
  const idat: Uint8Array[] = [];
  let ihdr: Uint8Array = new Uint8Array(0);
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + length);
    expect(view.getUint32(at + 8 + length), `CRC of ${type}`).toBe(crc32(png.subarray(at + 4, at + 8 + length)));
    chunkTypes.push(type);
    if (type === 'IHDR') ihdr = data;
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const ihdrView = new DataView(ihdr.buffer, ihdr.byteOffset, ihdr.byteLength);
  const [width, height] = [ihdrView.getUint32(0), ihdrView.getUint32(4)];
  const filteredRows = await inflate(Uint8Array.from(idat.flatMap((part) => Array.from(part))));
  const stride = width * 4;
  expect(filteredRows.length).toBe(height * (stride + 1));
  const rgba = new Uint8Array(width * height * 4);
  const filters: number[] = [];
  for (let y = 0; y < height; y++) {
    const filter = filteredRows[y * (stride + 1)];
    filters.push(filter);
    for (let i = 0; i < stride; i++) {
      const raw = filteredRows[y * (stride + 1) + 1 + i];
      const a = i >= 4 ? rgba[y * stride + i - 4] : 0;
      const b = y > 0 ? rgba[(y - 1) * stride + i] : 0;
      const c = i >= 4 && y > 0 ? rgba[(y - 1) * stride + i - 4] : 0;
      rgba[y * stride + i] = raw + [0, a, b, Math.floor((a + b) / 2), paeth(a, b, c)][filter];
    }
  }
  return { width, height, ihdr, chunkTypes, filters, rgba };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** The one image builder of this file: smooth gradients with a few hard edges and some noise. */
function makeImage(width: number, height: number): { width: number; height: number; rgba: Uint8Array } {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 4;
      rgba.set([x * 5, y * 3, x > width / 2 ? 200 : (x * y) % 251, (x + y) % 3 === 0 ? 255 : 128], at);
    }
  }
  return { width, height, rgba };
}

describe('encodePng', () => {
  it('encodes a 1×1 image', async () => {
    const image = { width: 1, height: 1, rgba: new Uint8Array([12, 200, 34, 255]) };

    const decoded = await decodePng(await encodePng(image));

    expect([decoded.width, decoded.height]).toEqual([1, 1]);
    expect(Array.from(decoded.rgba)).toEqual([12, 200, 34, 255]);
  });

  it('writes IHDR for 8-bit RGBA, then IDAT and IEND', async () => {
    const decoded = await decodePng(await encodePng(makeImage(3, 2)));

    expect(Array.from(decoded.ihdr.subarray(8))).toEqual([8, 6, 0, 0, 0]);
    expect(decoded.chunkTypes).toEqual(['IHDR', 'IDAT', 'IEND']);
  });

  it('round-trips every pixel of an odd-sized image', async () => {
    const image = makeImage(37, 23);

    const decoded = await decodePng(await encodePng(image));

    expect([decoded.width, decoded.height]).toEqual([37, 23]);
    expect(decoded.rgba).toEqual(image.rgba);
  });

  it('chooses filters per row', async () => {
    const decoded = await decodePng(await encodePng(makeImage(64, 40)));

    expect(new Set(decoded.filters).size).toBeGreaterThan(1);
    expect(decoded.filters.every((filter) => [0, 1, 2, 4].includes(filter))).toBe(true);
  });

  it('uses the injected compressor', async () => {
    let calls = 0;

    await encodePng(makeImage(2, 2), async (data) => (calls++, compressDeflate(data)));

    expect(calls).toBe(1);
  });

  it.each([
    ['rgba of the wrong length', { width: 2, height: 2, rgba: new Uint8Array(15) }],
    ['zero width', { width: 0, height: 2, rgba: new Uint8Array(0) }],
    ['a fractional height', { width: 2, height: 1.5, rgba: new Uint8Array(12) }],
  ])('rejects %s with InvalidRequestError', async (_, image) => {
    await expect(encodePng(image)).rejects.toThrow(InvalidRequestError);
  });
});
