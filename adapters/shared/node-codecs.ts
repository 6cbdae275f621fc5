import type { Compress } from '../../core/raster/deflate.js';
import type { Inflate } from '../../core/raster/tile-decode.js';
import { nodeDeflate } from './node-compress.js';
import { inflateOnThreadPool } from './node-inflate.js';

/**
 * Node's zlib both ways for an analysis in this thread: deflate (level 6) for the artifacts,
 * inflate on libuv's threads for the tiles. What the HTTP function uses: it analyses only what
 * fits within a request, on its one vCPU, so it carries no worker threads (nor their script).
 *
 * @example
 * ```ts
 * const api = createApi({ ...stores, ...nodeCodecs(), clock, logger, metrics, renderMetrics, codeVersion, config });
 * ```
 */
export function nodeCodecs(): { compress: Compress; inflate: Inflate } {
  return { compress: nodeDeflate(), inflate: inflateOnThreadPool };
}
