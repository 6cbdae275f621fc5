import { describe, expect, it } from 'vitest';
import { isZip, openZip } from '../../../core/archive/zip-archive.js';
import { type ByteSource, memoryByteSource } from '../../../core/raster/byte-source.js';
import { makeZip } from '../../helpers/zip.js';

/** Bytes that deflate a little (a repeating ramp with noise), `length` long. */
function sampleBytes(length: number, seed = 7): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    out[i] = (i % 251) ^ (state >>> 29);
  }
  return out;
}

/** A source that counts the bytes read from it. */
function countingSource(name: string, bytes: Uint8Array): ByteSource & { bytesRead: number } {
  const inner = memoryByteSource(name, bytes);
  const source = {
    name,
    size: bytes.byteLength,
    bytesRead: 0,
    async read(offset: number, length: number) {
      const chunk = await inner.read(offset, length);
      source.bytesRead += chunk.byteLength;
      return chunk;
    },
  };
  return source;
}

describe('openZip', () => {
  const mtd = new TextEncoder().encode('<Level-2A_User_Product>…</Level-2A_User_Product>');
  const band = sampleBytes(3 * 1024 * 1024 + 17);

  it.each([
    ['stored', false],
    ['deflate', false],
    ['stored', true],
    ['deflate', true],
  ] as const)('reads %s members in place (zip64 %s), at any offset', async (method, zip64) => {
    const zip = makeZip([{ path: 'S2A.SAFE/MTD_MSIL2A.xml', data: mtd, method }, { path: 'S2A.SAFE/B04.jp2', data: band, method }], { zip64 });
    const archive = await openZip(memoryByteSource('scene.zip', zip));
    expect(archive.entries.map((entry) => [entry.path, entry.size])).toEqual([['S2A.SAFE/MTD_MSIL2A.xml', mtd.byteLength], ['S2A.SAFE/B04.jp2', band.byteLength]]);
    const source = await archive.open(archive.entries[1]);
    expect(source.size).toBe(band.byteLength);
    // Forwards, backwards, a far jump back to the start, and the very end.
    for (const [offset, length] of [[0, 12], [2_000_000, 70_000], [1_999_990, 20], [100, 5], [band.byteLength - 10, 50]]) {
      expect(await source.read(offset, length)).toEqual(band.subarray(offset, Math.min(band.byteLength, offset + length)));
    }
  });

  it('tells a zip archive by its first bytes', () => {
    expect(isZip(makeZip([{ path: 'a', data: mtd }]))).toBe(true);
    expect(isZip(new Uint8Array([0x49, 0x49, 42, 0]))).toBe(false);
  });

  it('refuses a truncated archive, saying it is truncated', async () => {
    const zip = makeZip([{ path: 'S2A.SAFE/B04.jp2', data: band, method: 'stored' }]);
    const cut = zip.subarray(0, zip.byteLength - 1000);
    await expect(openZip(memoryByteSource('scene.zip', cut))).rejects.toMatchObject({ code: 'CORRUPT_ARCHIVE', message: expect.stringContaining('truncated') });
  });

  it('refuses a file that is not a zip archive', async () => {
    await expect(openZip(memoryByteSource('scene.tif', new Uint8Array(100)))).rejects.toMatchObject({ code: 'CORRUPT_ARCHIVE', message: 'scene.tif is not a zip archive' });
  });

  it('refuses a member declaring a huge size before inflating anything (a zip bomb)', async () => {
    const zip = makeZip([{ path: 'bomb.jp2', data: new Uint8Array(1 << 20), method: 'deflate', declaredSize: 8 * 1024 ** 3 }], { zip64: true });
    const source = countingSource('bomb.zip', zip);
    await expect(openZip(source)).rejects.toMatchObject({ code: 'UNSAFE_ARCHIVE', details: { member: 'bomb.jp2' } });
    // Only the tail and the directory were read, not the member.
    expect(source.bytesRead).toBeLessThan(70_000);
  });

  it('refuses a deflate member declaring more than deflate can produce from its bytes', async () => {
    const zip = makeZip([{ path: 'bomb.jp2', data: new Uint8Array(1000), method: 'deflate', declaredSize: 500 * 1024 * 1024 }]);
    await expect(openZip(memoryByteSource('bomb.zip', zip))).rejects.toMatchObject({ code: 'UNSAFE_ARCHIVE', message: expect.stringContaining('more than deflate can produce') });
  });

  it('cuts a member that inflates past its declared size there, and fails it on its checksum', async () => {
    const zip = makeZip([{ path: 'liar.jp2', data: new Uint8Array(8 << 20), method: 'deflate', declaredSize: 1 << 20 }]);
    const archive = await openZip(memoryByteSource('liar.zip', zip));
    const source = await archive.open(archive.entries[0]);
    expect(source.size).toBe(1 << 20);
    expect((await source.read(0, 1000)).byteLength).toBe(1000);
    await expect(source.read(0, 8 << 20)).rejects.toMatchObject({ code: 'CORRUPT_ARCHIVE', message: expect.stringContaining('checksum') });
  });

  it('fails a member that inflates to less than its declared size', async () => {
    const zip = makeZip([{ path: 'short.jp2', data: new Uint8Array(1000), method: 'deflate', declaredSize: 5000 }]);
    const archive = await openZip(memoryByteSource('short.zip', zip));
    const source = await archive.open(archive.entries[0]);
    await expect(source.read(4000, 100)).rejects.toMatchObject({ code: 'CORRUPT_ARCHIVE', message: expect.stringContaining('fewer than the 5000') });
  });

  it('fails a deflate member whose data is damaged', async () => {
    const zip = makeZip([{ path: 'B04.jp2', data: band, method: 'deflate' }]);
    zip.fill(0xff, 200, 4000);
    const archive = await openZip(memoryByteSource('scene.zip', zip));
    const source = await archive.open(archive.entries[0]);
    await expect(source.read(0, band.byteLength)).rejects.toMatchObject({ code: 'CORRUPT_ARCHIVE' });
  });

  it('refuses encrypted members and unknown methods with what to do', async () => {
    const zip = makeZip([{ path: 'B04.jp2', data: mtd, method: 'stored' }]);
    const archive = await openZip(memoryByteSource('scene.zip', zip));
    await expect(archive.open({ ...archive.entries[0], encrypted: true })).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT', message: expect.stringContaining('encrypted') });
    await expect(archive.open({ ...archive.entries[0], method: 12 })).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT', message: expect.stringContaining('method 12') });
  });
});
