import { promisify } from 'node:util';
import { inflate, inflateSync } from 'node:zlib';
import type { Inflate } from '../core/raster/tile-decode.js';

const inflateAsync = promisify(inflate);

/** Output chunk for a block: the whole block in one buffer (so no concatenation), and room to see the stream end. */
const chunkFor = (expectedBytes: number) => Math.max(64, expectedBytes + 64);

/**
 * Node's zlib on the calling thread: what a worker thread uses, where blocking is the point.
 * One output buffer per block, in which predictor and byte order are then undone in place.
 */
export const inflateInThread: Inflate = (data, expectedBytes) => inflateSync(data, { chunkSize: chunkFor(expectedBytes) });

/**
 * Node's zlib on libuv's thread pool: what the main thread uses when it scans in-process, so
 * the blocks of one tile row inflate in parallel while the event loop stays free.
 */
export const inflateOnThreadPool: Inflate = (data, expectedBytes) => inflateAsync(data, { chunkSize: chunkFor(expectedBytes) });
