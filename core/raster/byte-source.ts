import type { BlobStore } from '../ports/blob-store.js';

/**
 * Random-access bytes of one file, the way @cogeotiff and geotiff.js read rasters:
 * `read(offset, length)` may return fewer bytes at the end of the file.
 */
export interface ByteSource {
  /** A name for messages (the key or URL), never an absolute local path. */
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
  read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array>;
  /**
   * Several ranges at once, when the source can do better than one `read` each (a remote
   * source merges adjacent ranges and bounds parallel requests). Same result as `read` per range.
   */
  readRanges?(ranges: ReadonlyArray<{ offset: number; length: number }>, signal?: AbortSignal): Promise<Uint8Array[]>;
  /**
   * True when every read returns memory of its own, which the caller may keep, change or move
   * to another thread (a fresh buffer per read); absent when reads may be views of memory the
   * source keeps (a cache, a file held in memory), which a caller must copy before changing.
   */
  readonly ownedReads?: boolean;
}

/** Reads several ranges of `source`: with its `readRanges` when it has one, else one `read` each. */
export function readRanges(source: ByteSource, ranges: ReadonlyArray<{ offset: number; length: number }>, signal?: AbortSignal): Promise<Uint8Array[]> {
  if (source.readRanges) return source.readRanges(ranges, signal);
  return Promise.all(ranges.map(({ offset, length }) => source.read(offset, length, signal)));
}

/** A source over an object in a `BlobStore`, reading with byte ranges. */
export function blobByteSource(store: BlobStore, key: string, size: number): ByteSource {
  return {
    name: key,
    size,
    read: (offset, length, signal) => store.getRange(key, offset, Math.max(0, Math.min(length, size - offset)), { signal }),
  };
}

/** A source over bytes already in memory. */
export function memoryByteSource(name: string, bytes: Uint8Array): ByteSource {
  return {
    name,
    size: bytes.byteLength,
    read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.byteLength, offset + length)),
  };
}

/** Default block size and count of the header cache: TIFF headers and tile indexes are small reads. */
const BLOCK_SIZE = 64 * 1024;
const MAX_BLOCKS = 64;

/**
 * Wraps a source with a small LRU block cache for small reads (headers, IFDs, tile indexes),
 * so geotiff.js's many tiny header reads cost one range request per 64 KiB block. Reads larger
 * than a block (tile data), and `readRanges`, go straight through.
 */
export function cachedByteSource(source: ByteSource, blockSize = BLOCK_SIZE, maxBlocks = MAX_BLOCKS): ByteSource {
  const blocks = new Map<number, Promise<Uint8Array>>();
  const block = (index: number, signal?: AbortSignal) => {
    let cached = blocks.get(index);
    if (cached) {
      blocks.delete(index);
    } else {
      cached = source.read(index * blockSize, blockSize, signal);
      cached.catch(() => blocks.delete(index));
      if (blocks.size >= maxBlocks) blocks.delete(blocks.keys().next().value as number);
    }
    blocks.set(index, cached);
    return cached;
  };
  return {
    name: source.name,
    size: source.size,
    ...(source.readRanges ? { readRanges: source.readRanges.bind(source) } : {}),
    async read(offset, length, signal) {
      const end = Math.min(source.size, offset + length);
      if (end <= offset) return new Uint8Array(0);
      if (length > blockSize) return source.read(offset, end - offset, signal);
      const first = Math.floor(offset / blockSize);
      const last = Math.floor((end - 1) / blockSize);
      const parts = await Promise.all(Array.from({ length: last - first + 1 }, (_, i) => block(first + i, signal)));
      const out = new Uint8Array(end - offset);
      let written = 0;
      for (let i = 0; i < parts.length; i++) {
        const blockStart = (first + i) * blockSize;
        const from = Math.max(0, offset - blockStart);
        const to = Math.min(parts[i].byteLength, end - blockStart);
        if (to > from) out.set(parts[i].subarray(from, to), written);
        written += Math.max(0, to - from);
      }
      return written === out.byteLength ? out : out.subarray(0, written);
    },
  };
}
