import type { Compress } from '../../core/raster/deflate.js';
import type { Jpeg2000Decoder } from '../../core/ports/jpeg2000-decoder.js';
import type { Inflate } from '../../core/raster/tile-decode.js';
import { embeddedJpeg2000Decoder } from '../jpeg2000/embedded-openjpeg.js';
import { nodeDeflate } from './node-compress.js';
import { inflateOnThreadPool } from './node-inflate.js';

/**
 * Node's codecs for an analysis in this thread: deflate (level 6) for the artifacts, inflate on
 * libuv's threads for the tiles, OpenJPEG (WebAssembly) for JPEG 2000 bands. What the HTTP function uses: it analyses only what
 * fits within a request, on its one vCPU, so it carries no worker threads (nor their script).
 *
 * @example
 * ```ts
 * const api = createApi({ ...stores, ...nodeCodecs(), clock, logger, metrics, renderMetrics, codeVersion, config });
 * ```
 */
export function nodeCodecs(): { compress: Compress; inflate: Inflate; jpeg2000: Jpeg2000Decoder } {
  return { compress: nodeDeflate(), inflate: inflateOnThreadPool, jpeg2000: embeddedJpeg2000Decoder() };
}
