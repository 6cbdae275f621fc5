/**
 * The central directory of a zip archive (PKWARE APPNOTE 6.3.10, sections 4.3.12–4.3.16, and
 * Zip64, 4.3.14–4.3.15 and 4.5.3), read by range reads from the end: the end of central
 * directory record, the Zip64 locator and record when sizes need 64 bits, then the directory
 * itself. Every count and size it declares is checked against the archive's size and the
 * limits before anything is allocated by it.
 */
import { CorruptArchiveError, UnsafeArchiveError } from '../errors.js';
import type { ByteSource } from '../raster/byte-source.js';

/** One member as the central directory lists it. */
export interface ZipEntry {
  /** Path inside the archive, `/`-separated (folders end with `/`). */
  path: string;
  /** 0 stored, 8 deflate. */
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  /** Offset of the member's local header. */
  localHeaderOffset: number;
  encrypted: boolean;
}

/** Limits on what a directory may declare. */
export interface ZipLimits {
  /** Most members listed (a Sentinel-2 .SAFE has about 150). */
  maxEntries: number;
  /** Largest central directory, bytes. */
  maxDirectoryBytes: number;
  /** Largest uncompressed member, bytes. */
  maxMemberBytes: number;
}

/** Defaults: far above any Sentinel-2 product (largest member ≈ 150 MB), far below what would hurt. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 20_000, maxDirectoryBytes: 16 * 1024 * 1024, maxMemberBytes: 2 * 1024 ** 3 };

/** Deflate cannot expand data by more than about 1032:1 (RFC 1951 run-length limits): a member declaring more is a bomb or a lie. */
export const MAX_DEFLATE_RATIO = 1032;

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const EOCD_BYTES = 22;
const MAX_COMMENT = 0xffff;
const ZIP64_LOCATOR_BYTES = 20;
const ZIP64_EOCD_BYTES = 56;

/**
 * Lists the members of the zip archive `source`.
 *
 * @example
 * ```ts
 * const entries = await readZipDirectory(source);
 * entries.find((entry) => entry.path.endsWith('MTD_MSIL2A.xml'));
 * ```
 */
export async function readZipDirectory(source: ByteSource, limits: ZipLimits = DEFAULT_ZIP_LIMITS, signal?: AbortSignal): Promise<ZipEntry[]> {
  const name = source.name;
  const tailLength = Math.min(source.size, EOCD_BYTES + MAX_COMMENT + ZIP64_LOCATOR_BYTES);
  const tailStart = source.size - tailLength;
  const tail = await source.read(tailStart, tailLength, signal);
  const eocd = findEocd(tail);
  if (eocd < 0) {
    const head = await source.read(0, 4, signal);
    const zipStart = head.byteLength === 4 && head[0] === 0x50 && head[1] === 0x4b;
    throw new CorruptArchiveError(
      zipStart ? `${name} is a truncated zip archive (its central directory, at the end, is missing); download or upload it again` : `${name} is not a zip archive`,
      { size: source.size },
    );
  }
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let count = view.getUint16(eocd + 10, true);
  let directorySize = view.getUint32(eocd + 12, true);
  let directoryOffset = view.getUint32(eocd + 16, true);
  let directoryEnd = tailStart + eocd;
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    const zip64 = await readZip64Record(source, tail, tailStart, eocd, signal);
    ({ count, directorySize, directoryOffset } = zip64);
    directoryEnd = zip64.recordOffset;
  }
  if (count > limits.maxEntries) throw new UnsafeArchiveError(`${name} lists ${count} members, more than the ${limits.maxEntries} an archive may have here`, { members: count });
  if (directorySize > limits.maxDirectoryBytes) throw new UnsafeArchiveError(`${name} has a central directory of ${directorySize} bytes, over the limit of ${limits.maxDirectoryBytes}`);
  if (directoryOffset + directorySize > directoryEnd) throw truncatedDirectory(name, source.size);
  const directory = await source.read(directoryOffset, directorySize, signal);
  if (directory.byteLength !== directorySize) throw truncatedDirectory(name, source.size);
  return parseEntries(directory, count, directoryOffset, limits, name);
}

function truncatedDirectory(name: string, size: number): CorruptArchiveError {
  return new CorruptArchiveError(`${name} is a damaged or truncated zip archive: its central directory lies outside the file (${size} bytes)`, { size });
}

/** Offset of the end of central directory record in `tail`, searching backwards; -1 when absent. */
function findEocd(tail: Uint8Array): number {
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  for (let at = tail.byteLength - EOCD_BYTES; at >= 0; at--) {
    if (view.getUint32(at, true) === EOCD_SIGNATURE && at + EOCD_BYTES + view.getUint16(at + 20, true) === tail.byteLength) return at;
  }
  return -1;
}

async function readZip64Record(source: ByteSource, tail: Uint8Array, tailStart: number, eocd: number, signal?: AbortSignal) {
  const corrupt = () => new CorruptArchiveError(`${source.name} is a damaged Zip64 archive: its Zip64 directory record is missing or outside the file`);
  const locator = eocd - ZIP64_LOCATOR_BYTES;
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  if (locator < 0 || view.getUint32(locator, true) !== ZIP64_LOCATOR_SIGNATURE) throw corrupt();
  const recordOffset = Number(view.getBigUint64(locator + 8, true));
  if (recordOffset + ZIP64_EOCD_BYTES > tailStart + locator) throw corrupt();
  const record = await source.read(recordOffset, ZIP64_EOCD_BYTES, signal);
  const rv = new DataView(record.buffer, record.byteOffset, record.byteLength);
  if (record.byteLength < ZIP64_EOCD_BYTES || rv.getUint32(0, true) !== ZIP64_EOCD_SIGNATURE) throw corrupt();
  return { count: Number(rv.getBigUint64(32, true)), directorySize: Number(rv.getBigUint64(40, true)), directoryOffset: Number(rv.getBigUint64(48, true)), recordOffset };
}

function parseEntries(directory: Uint8Array, count: number, directoryOffset: number, limits: ZipLimits, name: string): ZipEntry[] {
  const view = new DataView(directory.buffer, directory.byteOffset, directory.byteLength);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directory.byteLength || view.getUint32(at, true) !== CENTRAL_SIGNATURE) {
      throw new CorruptArchiveError(`${name} is a damaged zip archive: its central directory lists ${count} members but entry ${i + 1} is unreadable`);
    }
    const flags = view.getUint16(at + 8, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > directory.byteLength) throw new CorruptArchiveError(`${name} is a damaged zip archive: entry ${i + 1} runs past its central directory`);
    const nameBytes = directory.subarray(at + 46, at + 46 + nameLength);
    // Bit 11: UTF-8 names; otherwise IBM 437, of which the ASCII part is all a product uses.
    const path = new TextDecoder(flags & 0x800 ? 'utf-8' : 'latin1').decode(nameBytes);
    const sizes = { compressedSize: view.getUint32(at + 20, true), size: view.getUint32(at + 24, true), localHeaderOffset: view.getUint32(at + 42, true) };
    applyZip64Extra(sizes, directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
    const entry: ZipEntry = { path, method: view.getUint16(at + 10, true), crc32: view.getUint32(at + 16, true), encrypted: (flags & 1) !== 0, ...sizes };
    checkDeclaredSizes(entry, directoryOffset, limits, name);
    entries.push(entry);
    at = next;
  }
  return entries;
}

/** Zip64 extended information (header 0x0001): 64-bit sizes and offset for fields saturated at 0xFFFFFFFF, in that order. */
function applyZip64Extra(sizes: { compressedSize: number; size: number; localHeaderOffset: number }, extra: Uint8Array): void {
  const view = new DataView(extra.buffer, extra.byteOffset, extra.byteLength);
  for (let at = 0; at + 4 <= extra.byteLength; ) {
    const id = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (id === 0x0001) {
      let field = at + 4;
      const take = () => {
        if (field + 8 > at + 4 + length) return undefined;
        const value = Number(view.getBigUint64(field, true));
        field += 8;
        return value;
      };
      if (sizes.size === 0xffffffff) sizes.size = take() ?? sizes.size;
      if (sizes.compressedSize === 0xffffffff) sizes.compressedSize = take() ?? sizes.compressedSize;
      if (sizes.localHeaderOffset === 0xffffffff) sizes.localHeaderOffset = take() ?? sizes.localHeaderOffset;
      return;
    }
    at += 4 + length;
  }
}

/** What a member declares must fit the archive and the limits; a deflate member cannot expand beyond deflate's ratio. */
function checkDeclaredSizes(entry: ZipEntry, directoryOffset: number, limits: ZipLimits, name: string): void {
  if (entry.size > limits.maxMemberBytes) {
    throw new UnsafeArchiveError(`${name} has a member (${entry.path}) declaring ${entry.size} bytes, over the limit of ${limits.maxMemberBytes}; it is not a Sentinel-2 product (a zip bomb?)`, {
      member: entry.path,
      size: entry.size,
    });
  }
  if (entry.method === 8 && entry.size > entry.compressedSize * MAX_DEFLATE_RATIO + 1024) {
    throw new UnsafeArchiveError(`${name} has a member (${entry.path}) declaring ${entry.size} bytes from ${entry.compressedSize} compressed, more than deflate can produce (a zip bomb?)`, {
      member: entry.path,
      size: entry.size,
    });
  }
  if (entry.localHeaderOffset + 30 + entry.compressedSize > directoryOffset) {
    throw new CorruptArchiveError(`${name} is a damaged or truncated zip archive: member ${entry.path} lies outside the archive's data`, { member: entry.path });
  }
}
