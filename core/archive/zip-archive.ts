/**
 * A zip archive read in place: its directory once, then each member as a `ByteSource` over the
 * archive's own bytes (stored members by plain range reads, deflate members by inflating forward,
 * see inflate-source.ts). Nothing is unpacked to disk, and nothing is allocated by a size the
 * archive declares before it is checked (zip-directory.ts).
 */
import { CorruptArchiveError, UnsupportedFormatError } from '../errors.js';
import { type ByteSource, readRanges } from '../raster/byte-source.js';
import { inflatingSource } from './inflate-source.js';
import { DEFAULT_ZIP_LIMITS, type ZipEntry, type ZipLimits, readZipDirectory } from './zip-directory.js';

export type { ZipEntry, ZipLimits } from './zip-directory.js';

const LOCAL_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_BYTES = 30;

/** An opened zip archive. */
export interface ZipArchive {
  name: string;
  entries: ZipEntry[];
  /** The member as a byte source; `UnsupportedFormatError` for encrypted members or methods other than stored and deflate. */
  open(entry: ZipEntry, signal?: AbortSignal): Promise<ByteSource>;
}

/** True when `head` (a file's first bytes) starts a zip archive (a local file header, or an empty archive's directory end). */
export function isZip(head: Uint8Array): boolean {
  return head.byteLength >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
}

/**
 * Opens the zip archive `source`.
 *
 * @example
 * ```ts
 * const zip = await openZip(source);
 * const mtd = await zip.open(zip.entries.find((e) => e.path.endsWith('/MTD_MSIL2A.xml'))!);
 * ```
 */
export async function openZip(source: ByteSource, limits: ZipLimits = DEFAULT_ZIP_LIMITS, signal?: AbortSignal): Promise<ZipArchive> {
  const entries = await readZipDirectory(source, limits, signal);
  return {
    name: source.name,
    entries,
    open: (entry, openSignal) => openMember(source, entry, openSignal),
  };
}

async function openMember(archive: ByteSource, entry: ZipEntry, signal?: AbortSignal): Promise<ByteSource> {
  const name = `${entry.path.split('/').pop()} in ${archive.name}`;
  if (entry.encrypted) throw new UnsupportedFormatError(`${name} is encrypted; give the archive without a password`);
  if (entry.method !== 0 && entry.method !== 8) {
    throw new UnsupportedFormatError(`${name} is compressed with zip method ${entry.method}; only stored and deflate members are read (re-zip it with a standard zip tool)`, { method: entry.method });
  }
  const header = await archive.read(entry.localHeaderOffset, LOCAL_HEADER_BYTES, signal);
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  if (header.byteLength < LOCAL_HEADER_BYTES || view.getUint32(0, true) !== LOCAL_SIGNATURE) {
    throw new CorruptArchiveError(`${name} is damaged: no local header where the archive's directory points`);
  }
  const dataOffset = entry.localHeaderOffset + LOCAL_HEADER_BYTES + view.getUint16(26, true) + view.getUint16(28, true);
  if (dataOffset + entry.compressedSize > archive.size) throw new CorruptArchiveError(`${name} is truncated: the archive ends before the member does`);
  if (entry.method === 8) return inflatingSource({ name, archive, dataOffset, compressedSize: entry.compressedSize, size: entry.size, crc32: entry.crc32 });
  if (entry.compressedSize !== entry.size) throw new CorruptArchiveError(`${name} is damaged: a stored member whose sizes differ`);
  return storedSource(name, archive, dataOffset, entry.size);
}

/** A stored member: its bytes are the archive's, at an offset. */
function storedSource(name: string, archive: ByteSource, dataOffset: number, size: number): ByteSource {
  const clamp = (offset: number, length: number) => ({ offset: dataOffset + offset, length: Math.max(0, Math.min(length, size - offset)) });
  return {
    name,
    size,
    read: (offset, length, signal) => {
      const range = clamp(offset, length);
      return archive.read(range.offset, range.length, signal);
    },
    readRanges: (ranges, signal) => readRanges(archive, ranges.map(({ offset, length }) => clamp(offset, length)), signal),
  };
}
