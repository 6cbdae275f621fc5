/**
 * A deflate-compressed zip member as a random-access `ByteSource`, read in place. Deflate can
 * only be read from its start, so a read inflates forward from the nearest cursor already before
 * it (a new one from the start if none is), through the Web-standard `DecompressionStream`,
 * pulling compressed bytes by range reads as it goes. Band files are read mostly forwards (tile
 * rows in order), so each cursor mostly moves on; a few cursors serve readers at different
 * places (the bands of a parallel scan). Memory: each cursor's stream state and the last
 * `WINDOW` bytes it produced, never the member.
 */
import { CorruptArchiveError } from '../errors.js';
import type { ByteSource } from '../raster/byte-source.js';
import { updateCrc32 } from '../crc32.js';

/** Compressed bytes pulled per range read. */
const COMPRESSED_CHUNK = 256 * 1024;
/** Inflated bytes each cursor keeps behind it, for reads that step back a little (headers, tile-parts). */
const WINDOW = 1024 * 1024;
/** Cursors kept; the least recently used is dropped. */
const MAX_CURSORS = 4;

interface Cursor {
  /** Inflated bytes produced so far. */
  position: number;
  reader: ReadableStreamDefaultReader<Uint8Array>;
  /** The last bytes produced, ending at `position`: a ring, byte `p` of the member at `p % WINDOW`. */
  window: Uint8Array;
  windowLength: number;
  used: number;
  /** CRC-32 of everything produced so far, checked against the archive's when the member ends. */
  crc: number;
  /** Set when a read finds no inflated bytes waiting: one compressed chunk may then be pulled (see `startCursor`). */
  credit: boolean;
  /** Wakes a pull held for credit. */
  wake?: () => void;
}

/** Where a member's compressed bytes are, and what it declares. */
export interface DeflateMember {
  name: string;
  /** The archive, and the offset of the member's compressed data in it. */
  archive: ByteSource;
  dataOffset: number;
  compressedSize: number;
  /** Declared uncompressed size: reads stop there, and a member that inflates to less is damaged. */
  size: number;
  /** Declared CRC-32 of the uncompressed bytes. */
  crc32: number;
}

/**
 * A byte source over a deflate member.
 *
 * @example
 * ```ts
 * const band = inflatingSource({ name: 'B04.jp2', archive, dataOffset, compressedSize, size });
 * await band.read(0, 12);
 * ```
 */
export function inflatingSource(member: DeflateMember): ByteSource {
  const cursors: Cursor[] = [];
  let uses = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const read = async (offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> => {
    const end = Math.min(member.size, offset + length);
    if (end <= offset) return new Uint8Array(0);
    const cursor = cursorFor(cursors, offset) ?? startCursor(member, cursors);
    cursor.used = ++uses;
    return readFrom(cursor, member, offset, end, signal);
  };
  return {
    name: member.name,
    size: member.size,
    // One read at a time: cursors are shared state.
    read(offset, length, signal) {
      const result = queue.then(() => read(offset, length, signal));
      queue = result.catch(() => undefined);
      return result;
    },
  };
}

/** The cursor that reaches `offset` inflating least: one whose window does not start after it. */
function cursorFor(cursors: Cursor[], offset: number): Cursor | undefined {
  let best: Cursor | undefined;
  let bestWaste = Infinity;
  for (const cursor of cursors) {
    if (offset < cursor.position - cursor.windowLength) continue;
    const waste = Math.max(0, offset - cursor.position);
    if (waste < bestWaste || (waste === bestWaste && best && cursor.used > best.used)) {
      best = cursor;
      bestWaste = waste;
    }
  }
  return best;
}

function startCursor(member: DeflateMember, cursors: Cursor[]): Cursor {
  if (cursors.length >= MAX_CURSORS) {
    const oldest = cursors.reduce((a, b) => (a.used <= b.used ? a : b));
    void oldest.reader.cancel().catch(() => undefined);
    cursors.splice(cursors.indexOf(oldest), 1);
  }
  let pulled = 0;
  // A compressed chunk is pulled only when a read finds nothing inflated and the inflater has used
  // up what it was given: Node's DecompressionStream
  // takes whatever a pipe offers, so an ungated pipe buffers the whole member ahead of the reads
  // (measured: live memory the size of the rest of a 110 MB band file).
  const compressed = new ReadableStream<Uint8Array>({
    async pull(controller) {
      // Deflate never shrinks data by more than a few bytes a block, so output behind the input pulled
      // by over a chunk means the inflater still holds input: it will produce without more.
      while (!cursor.credit || pulled > cursor.position + COMPRESSED_CHUNK) await new Promise<void>((resolve) => (cursor.wake = resolve));
      cursor.credit = false;
      if (pulled >= member.compressedSize) return controller.close();
      const length = Math.min(COMPRESSED_CHUNK, member.compressedSize - pulled);
      const chunk = await member.archive.read(member.dataOffset + pulled, length);
      if (chunk.byteLength === 0) return controller.error(new CorruptArchiveError(`${member.name} is truncated in its archive`));
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  const reader = compressed.pipeThrough(new DecompressionStream('deflate-raw') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>).getReader();
  const cursor: Cursor = { position: 0, reader, window: new Uint8Array(WINDOW), windowLength: 0, used: 0, crc: 0, credit: false };
  cursors.push(cursor);
  return cursor;
}

const NOT_YET = Symbol('not yet');

/** Bytes `[offset, end)`, from the cursor's window and then by inflating forward. */
async function readFrom(cursor: Cursor, member: DeflateMember, offset: number, end: number, signal?: AbortSignal): Promise<Uint8Array> {
  const out = new Uint8Array(end - offset);
  if (offset < cursor.position) copyFromWindow(cursor, offset, Math.min(end, cursor.position), out);
  while (cursor.position < end) {
    signal?.throwIfAborted();
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      const pending = cursor.reader.read();
      // Settled already (inflated bytes were queued): its reaction runs first and wins the race.
      if ((await Promise.race([pending, Promise.resolve(NOT_YET)])) === NOT_YET) {
        cursor.credit = true;
        cursor.wake?.();
        cursor.wake = undefined;
      }
      next = await pending;
    } catch (error) {
      throw new CorruptArchiveError(`${member.name} could not be inflated: its compressed data in the archive is damaged`, undefined, { cause: error });
    }
    if (next.done) throw new CorruptArchiveError(`${member.name} inflates to ${cursor.position} bytes, fewer than the ${member.size} its archive declares: the archive is damaged`);
    // Never more than the declared size: what a member inflates to beyond it is not read (a lie, or a bomb).
    const chunk = next.value.subarray(0, member.size - cursor.position);
    const chunkStart = cursor.position;
    const from = Math.max(offset, chunkStart);
    const to = Math.min(end, chunkStart + chunk.byteLength);
    if (to > from) out.set(chunk.subarray(from - chunkStart, to - chunkStart), from - offset);
    remember(cursor, chunk);
    cursor.crc = updateCrc32(cursor.crc, chunk);
    cursor.position += chunk.byteLength;
    if (cursor.position === member.size && cursor.crc !== member.crc32) {
      throw new CorruptArchiveError(`${member.name} is damaged in its archive: its checksum (CRC-32) does not match`);
    }
  }
  return out;
}

/** Copies member bytes `[from, to)` (inside the window) into `out` at `from - start`... from the ring. */
function copyFromWindow(cursor: Cursor, from: number, to: number, out: Uint8Array): void {
  for (let at = from; at < to; ) {
    const ring = at % WINDOW;
    const count = Math.min(to - at, WINDOW - ring);
    out.set(cursor.window.subarray(ring, ring + count), at - from);
    at += count;
  }
}

/** Appends `chunk` to the ring, which keeps the last `WINDOW` bytes. */
function remember(cursor: Cursor, chunk: Uint8Array): void {
  const kept = chunk.byteLength > WINDOW ? chunk.subarray(chunk.byteLength - WINDOW) : chunk;
  let at = cursor.position + chunk.byteLength - kept.byteLength;
  for (let i = 0; i < kept.byteLength; ) {
    const ring = at % WINDOW;
    const count = Math.min(kept.byteLength - i, WINDOW - ring);
    cursor.window.set(kept.subarray(i, i + count), ring);
    i += count;
    at += count;
  }
  cursor.windowLength = Math.min(WINDOW, cursor.windowLength + chunk.byteLength);
}
