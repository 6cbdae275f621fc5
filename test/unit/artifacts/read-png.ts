import { inflateSync } from 'node:zlib';

/**
 * Reads a PNG as the map tests need it, as RGBA: 8-bit RGBA (colour type 6, what `encodePng`
 * writes) or 1-bit palette with tRNS (colour type 3, what `encodeBilevelPng` writes). No
 * interlace; CRCs are the PNG encoder tests' business.
 *
 * @example
 * ```ts
 * const { width, height, rgba } = readPng(artifact.bytes);
 * ```
 */
export function readPng(png: Uint8Array): { width: number; height: number; rgba: Uint8Array; colourType: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const idat: Uint8Array[] = [];
  let [width, height, bitDepth, colourType] = [0, 0, 0, 0];
  let palette: Uint8Array = new Uint8Array(0);
  let alphas: Uint8Array = new Uint8Array(0);
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') [width, height, bitDepth, colourType] = [view.getUint32(at + 8), view.getUint32(at + 12), data[8], data[9]];
    if (type === 'PLTE') palette = data;
    if (type === 'tRNS') alphas = data;
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const bitsPerPixel = colourType === 6 ? 32 : bitDepth;
  const raw = unfilter(inflateSync(Buffer.concat(idat)), Math.ceil((width * bitsPerPixel) / 8), height, Math.max(1, bitsPerPixel >> 3));
  if (colourType === 6) return { width, height, rgba: raw, colourType };
  const stride = Math.ceil((width * bitDepth) / 8);
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bitOffset = x * bitDepth;
      const index = (raw[y * stride + (bitOffset >> 3)] >> (8 - bitDepth - (bitOffset & 7))) & ((1 << bitDepth) - 1);
      rgba.set([...palette.subarray(index * 3, index * 3 + 3), index < alphas.length ? alphas[index] : 255], (y * width + x) * 4);
    }
  }
  return { width, height, rgba, colourType };
}

/** Undoes the per-row filters (PNG spec, section 9); `bpp` is bytes per complete pixel, at least 1. */
function unfilter(filtered: Uint8Array, stride: number, height: number, bpp: number): Uint8Array {
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = filtered[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? out[y * stride + i - bpp] : 0;
      const b = y > 0 ? out[(y - 1) * stride + i] : 0;
      const c = i >= bpp && y > 0 ? out[(y - 1) * stride + i - bpp] : 0;
      const predicted = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
      out[y * stride + i] = filtered[y * (stride + 1) + 1 + i] + predicted;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
