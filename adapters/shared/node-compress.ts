import { deflate } from 'node:zlib';
import { promisify } from 'node:util';
import type { Compress } from '../../core/raster/deflate.js';

const deflateAsync = promisify(deflate);

/**
 * zlib deflate at a chosen level (Node's zlib, off the main thread): level 6 matches
 * CompressionStream's output size; level 1 is several times faster for bulk test data.
 */
export function nodeDeflate(level = 6): Compress {
  return async (data) => new Uint8Array(await deflateAsync(data, { level }));
}
