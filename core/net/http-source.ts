import { RemoteReadError, RemoteUnavailableError, isKelpieError } from '../errors.js';
import { type ByteSource, cachedByteSource } from '../raster/byte-source.js';
import type { GuardedFetch } from './guarded-fetch.js';
import { readBodyCapped } from './guarded-fetch.js';
import { HttpStatusError, describeFailure, isTransient } from './http-status.js';
import { type Limiter, createLimiter } from './limiter.js';
import { redactUrl } from './outbound-policy.js';
import { mergeRanges, splitMerged } from './range-merge.js';
import { type RetryOptions, withRetries } from './retry.js';

/** Requests and bytes a set of sources read, for logs, results and tests. */
export interface ReadStats {
  requests: number;
  bytes: number;
}

/** How a remote file is read. */
export interface HttpSourceOptions {
  fetch: GuardedFetch;
  /** Shared by every file of one analysis so their requests together stay bounded. */
  limiter?: Limiter;
  retry?: RetryOptions;
  /** Counters to add this file's requests and bytes to. */
  stats?: ReadStats;
  /** Bytes read when the file is opened: the header and, in a COG, the tile index (16 KiB, like GDAL). */
  headerBytes?: number;
  /** Block size and count of the cache for small reads (IFDs, tag values). */
  blockSize?: number;
  maxBlocks?: number;
  /** Tile ranges this close are fetched as one request (COG tiles of a row are adjacent). */
  maxGapBytes?: number;
  /** Longest single request, so a wide window still fetches in parallel. */
  maxRangeBytes?: number;
}

/** Defaults of {@link HttpSourceOptions}. */
const HTTP_SOURCE_DEFAULTS = {
  headerBytes: 16 * 1024,
  blockSize: 16 * 1024,
  maxBlocks: 64,
  maxGapBytes: 4 * 1024,
  maxRangeBytes: 16 * 1024 * 1024,
  concurrency: 8,
} as const;

/** `bytes first-last/total` or `bytes *\/total`. */
const CONTENT_RANGE = /^bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)$/i;

interface RangeAnswer {
  bytes: Uint8Array;
  /** File size from Content-Range (or the whole body of a 200), when the server said. */
  size?: number;
}

/**
 * Opens a remote file (a COG) for random access with HTTP range requests, the way GDAL's
 * /vsicurl/ and titiler read: one request for the first `headerBytes` (which also gives the
 * size), a block cache for the small header reads that follow, and `readRanges` that merges
 * adjacent tile ranges into one request, runs at most the limiter's count in parallel, and
 * retries 5xx, 429, resets and timeouts with backoff. Every read takes an `AbortSignal`.
 * A server that ignores `Range` is refused rather than downloading the whole file.
 *
 * @example
 * ```ts
 * const source = await openHttpSource(href, { fetch: guarded, limiter, stats }, signal);
 * const info = await openTiff(source, { signal });
 * ```
 */
export async function openHttpSource(url: string, options: HttpSourceOptions, signal?: AbortSignal): Promise<ByteSource> {
  const settings = { ...HTTP_SOURCE_DEFAULTS, ...options };
  const limiter = options.limiter ?? createLimiter(HTTP_SOURCE_DEFAULTS.concurrency);
  const name = redactUrl(url);
  const fetchRange = (offset: number, length: number, readSignal?: AbortSignal) =>
    limiter.run(() => withRetries(() => requestRange(url, offset, length, settings, readSignal), { ...options.retry, signal: readSignal })).catch((error: unknown) => {
      throw toReadError(name, error, readSignal);
    });

  const first = await fetchRange(0, settings.headerBytes, signal);
  const size = first.size ?? first.bytes.byteLength;
  // The opening read stays in memory (16 KiB): ranges inside it (a small file's tiles) cost no request.
  const header = first.bytes;
  const raw: ByteSource = {
    name,
    size,
    async read(offset, length, readSignal) {
      const end = Math.min(size, offset + length);
      if (end <= offset) return new Uint8Array(0);
      if (end <= header.byteLength) return header.subarray(offset, end);
      return (await fetchRange(offset, end - offset, readSignal)).bytes;
    },
    async readRanges(ranges, readSignal) {
      const clamped = ranges.map(({ offset, length }) => ({ offset, length: Math.max(0, Math.min(length, size - offset)) }));
      const merged = mergeRanges(clamped, { maxGapBytes: settings.maxGapBytes, maxLengthBytes: settings.maxRangeBytes });
      const bytes = await Promise.all(merged.map((group) => raw.read(group.offset, group.length, readSignal)));
      return splitMerged(clamped, merged, bytes);
    },
  };
  return cachedByteSource(raw, settings.blockSize, settings.maxBlocks);
}

/** One ranged GET; throws `HttpStatusError` for statuses a retry may fix, `RemoteReadError` otherwise. */
async function requestRange(url: string, offset: number, length: number, settings: HttpSourceOptions, signal?: AbortSignal): Promise<RangeAnswer> {
  const response = await settings.fetch(url, { headers: { range: `bytes=${offset}-${offset + length - 1}` }, signal });
  const count = (bytes: Uint8Array) => {
    if (settings.stats) {
      settings.stats.requests++;
      settings.stats.bytes += bytes.byteLength;
    }
    return bytes;
  };
  if (response.status === 206) {
    const match = CONTENT_RANGE.exec(response.headers.get('content-range') ?? '');
    if (!match || Number(match[1]) !== offset || Number(match[2]) >= offset + length) {
      await response.body?.cancel().catch(() => undefined);
      throw new RemoteReadError(`${redactUrl(url)} answered a range request with the wrong range (${response.headers.get('content-range') ?? 'no Content-Range'})`);
    }
    const expected = Number(match[2]) - offset + 1;
    const bytes = count(await readBodyCapped(response, expected, redactUrl(url)));
    // A body shorter than its Content-Range is a connection cut mid-transfer: retryable.
    if (bytes.byteLength !== expected) throw new TypeError(`short read from ${redactUrl(url)}: ${bytes.byteLength} of ${expected} bytes`);
    return { bytes, size: match[3] === '*' ? undefined : Number(match[3]) };
  }
  if (response.status === 416) {
    await response.body?.cancel().catch(() => undefined);
    const match = CONTENT_RANGE.exec(response.headers.get('content-range') ?? '');
    count(new Uint8Array(0));
    return { bytes: new Uint8Array(0), size: match && match[3] !== '*' ? Number(match[3]) : offset };
  }
  if (response.status === 200) {
    const declared = Number(response.headers.get('content-length') ?? NaN);
    // A server that ignores Range sends the whole file: acceptable only when the file is no longer than asked.
    if (offset === 0 && Number.isFinite(declared) && declared <= length) {
      const bytes = count(await readBodyCapped(response, length, redactUrl(url)));
      return { bytes, size: bytes.byteLength };
    }
    await response.body?.cancel().catch(() => undefined);
    throw new RemoteReadError(`${redactUrl(url)} ignores HTTP range requests (it answered 200 with the whole file); refusing to download it whole`);
  }
  await response.body?.cancel().catch(() => undefined);
  throw new HttpStatusError(response.status, url);
}

/** Turns what a read finally failed with into the core's error, naming the file but never its query. */
function toReadError(name: string, error: unknown, signal?: AbortSignal): unknown {
  if (signal?.aborted || isKelpieError(error)) return error;
  if (isTransient(error)) {
    return new RemoteUnavailableError(`could not read ${name}: ${describeFailure(error)}, also after retries; try again later`, undefined, { cause: error });
  }
  if (error instanceof HttpStatusError) {
    const hint = error.status === 403 ? ' (access denied: an expired or missing signature?)' : error.status === 404 ? ' (no such file)' : '';
    return new RemoteReadError(`could not read ${name}: HTTP ${error.status}${hint}`, { status: error.status });
  }
  return error;
}
