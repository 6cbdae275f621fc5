import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { updateCrc32 } from '../../core/crc32.js';

describe('updateCrc32', () => {
  it('gives the standard check value of "123456789"', () => {
    expect(updateCrc32(0, new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('extends a running checksum to the checksum of the whole, as zlib computes it', () => {
    const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) % 256);
    expect(updateCrc32(updateCrc32(0, bytes.subarray(0, 1234)), bytes.subarray(1234))).toBe(crc32(bytes));
  });
});
