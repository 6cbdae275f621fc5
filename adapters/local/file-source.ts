import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ByteSource } from '../../core/raster/byte-source.js';
import { NotFoundError } from '../../core/errors.js';

/**
 * A `ByteSource` over a local file, reading only the requested bytes with positional reads.
 * Messages name the file by its base name, never its absolute path.
 */
export async function openFileSource(path: string): Promise<ByteSource & { close(): Promise<void>; mtimeMs: number }> {
  const name = basename(path);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFoundError(`${path} does not exist`);
    if (code === 'EISDIR') throw new NotFoundError(`${path} is a folder, not a file`);
    throw error;
  }
  const stats = await handle.stat();
  if (stats.isDirectory()) {
    await handle.close();
    throw new NotFoundError(`${path} is a folder, not a file`);
  }
  const file = handle;
  return {
    name,
    size: stats.size,
    mtimeMs: stats.mtimeMs,
    // Each read fills a new array of its own.
    ownedReads: true,
    async read(offset, length) {
      const bytes = new Uint8Array(Math.max(0, Math.min(length, stats.size - offset)));
      let filled = 0;
      while (filled < bytes.byteLength) {
        const { bytesRead } = await file.read(bytes, filled, bytes.byteLength - filled, offset + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return filled === bytes.byteLength ? bytes : bytes.subarray(0, filled);
    },
    close: () => file.close(),
  };
}
