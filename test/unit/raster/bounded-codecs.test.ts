import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BlockDecodeError, checkZstdFrame, decodeLzw, decodePackBits } from '../../../core/raster/bounded-codecs.js';
import { decodeZstdBlock } from '../../../core/raster/zstd-block.js';
import { inflate } from '../../../core/raster/deflate.js';

/** TIFF LZW codes packed MSB-first at the widths a decoder reads them (9 bits here). */
function packCodes(codes: number[], width = 9): Uint8Array {
  const bits = codes.flatMap((code) => Array.from({ length: width }, (_, k) => (code >>> (width - 1 - k)) & 1));
  return Uint8Array.from({ length: Math.ceil(bits.length / 8) }, (_, i) => bits.slice(i * 8, i * 8 + 8).reduce((byte, bit, k) => byte | (bit << (7 - k)), 0));
}

describe('decodeLzw', () => {
  it('decodes literals and codes defined on the way, including the code being defined', () => {
    // clear, 'a', 'b', 258 ('ab'), 260 ('aba': defined by this very code), end
    const out = new Uint8Array(7);
    expect(decodeLzw(packCodes([256, 97, 98, 258, 260, 257]), out)).toBe(7);
    expect(new TextDecoder().decode(out)).toBe('abababa');
  });

  it('stops with BlockDecodeError when the data would pass the block, instead of growing', () => {
    expect(() => decodeLzw(packCodes([256, 97, 98, 258, 260, 257]), new Uint8Array(5))).toThrow(BlockDecodeError);
  });

  it('refuses deflate data labelled LZW with BlockDecodeError, holding memory to the block', () => {
    const deflated = deflateSync(Uint8Array.from({ length: 40_000 }, (_, i) => (i * 7919) % 251));
    expect(() => decodeLzw(deflated, new Uint8Array(65_536))).toThrow(BlockDecodeError);
  });
});

describe('decodePackBits', () => {
  it('decodes literal and repeat runs', () => {
    const out = new Uint8Array(6);
    expect(decodePackBits(Uint8Array.of(0x02, 1, 2, 3, 0xfe, 9), out)).toBe(6);
    expect([...out]).toEqual([1, 2, 3, 9, 9, 9]);
  });

  it('stops when a run would pass the block or a literal runs off the input', () => {
    expect(() => decodePackBits(Uint8Array.of(0x81, 5), new Uint8Array(10))).toThrow(BlockDecodeError); // 128 copies
    expect(() => decodePackBits(Uint8Array.of(0x05, 1, 2), new Uint8Array(10))).toThrow(BlockDecodeError);
  });
});

describe('ZSTD blocks', () => {
  it('refuses data that is not a Zstandard frame (deflate labelled ZSTD decoded to nothing before)', async () => {
    await expect(decodeZstdBlock(deflateSync(new Uint8Array(1000)), 1000)).rejects.toThrow(/not a Zstandard frame/);
  });

  it('refuses a frame that declares another size than its block', () => {
    // magic, descriptor: single segment with a 1-byte size field, size 10
    expect(() => checkZstdFrame(Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0x20, 10, 0, 0), 20)).toThrow(/decodes to 10 bytes/);
  });
});

describe('inflate (DecompressionStream)', () => {
  it('stops at maxBytes with a RangeError instead of inflating a bomb', async () => {
    const bomb = deflateSync(new Uint8Array(8 * 1024 * 1024));
    await expect(inflate(bomb, 65_536)).rejects.toThrow(RangeError);
    expect((await inflate(bomb)).byteLength).toBe(8 * 1024 * 1024);
  });
});
