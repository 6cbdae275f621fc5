/**
 * A set of files a scene may come as: a folder on disk, a zip archive, or the objects under a
 * prefix of a store. Paths are `/`-separated and relative to the tree's root; files are opened
 * as byte sources (read in place, never copied).
 */
import { type ZipArchive, openZip } from '../archive/zip-archive.js';
import type { ZipLimits } from '../archive/zip-directory.js';
import { UnsafeArchiveError } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import { type ByteSource, blobByteSource, cachedByteSource } from '../raster/byte-source.js';

/** One file of a tree. */
export interface TreeFile {
  path: string;
  size: number;
}

/** Files by path, and a way to open each. */
export interface FileTree {
  /** For messages: the folder, archive or prefix. */
  name: string;
  files: TreeFile[];
  open(path: string, signal?: AbortSignal): Promise<ByteSource>;
}

/** Most files looked at in a folder or under a prefix: a .SAFE has about 150. */
export const MAX_TREE_FILES = 20_000;

/**
 * The members of a zip archive as a tree (folders left out).
 *
 * @example
 * ```ts
 * const tree = zipTree(await openZip(source));
 * ```
 */
export function zipTree(archive: ZipArchive): FileTree {
  const byPath = new Map(archive.entries.filter((entry) => !entry.path.endsWith('/')).map((entry) => [entry.path, entry]));
  return {
    name: archive.name,
    files: [...byPath.values()].map((entry) => ({ path: entry.path, size: entry.size })),
    async open(path, signal) {
      const entry = byPath.get(path);
      if (!entry) throw new Error(`no member ${path} in ${archive.name}`);
      return archive.open(entry, signal);
    },
  };
}

/**
 * A zip archive in `source`, opened as a tree.
 *
 * @example
 * ```ts
 * const tree = await openZipTree(blobByteSource(store, 'uploads/S2B_MSIL2A_….zip', size));
 * ```
 */
export async function openZipTree(source: ByteSource, limits?: ZipLimits, signal?: AbortSignal): Promise<FileTree> {
  return zipTree(await openZip(source, limits, signal));
}

/**
 * The objects under `prefix` of `store` as a tree (paths relative to the prefix), listed page by
 * page up to {@link MAX_TREE_FILES}; each opens as a byte source with a small header cache.
 *
 * @example
 * ```ts
 * const tree = await blobTree(store, 'uploads/monterey-2024-08-01/');
 * ```
 */
export async function blobTree(store: BlobStore, prefix: string, signal?: AbortSignal): Promise<FileTree> {
  const files: TreeFile[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list(prefix, { cursor, signal });
    for (const item of page.items) files.push({ path: item.key.slice(prefix.length), size: item.size });
    if (files.length > MAX_TREE_FILES) throw new UnsafeArchiveError(`${prefix} holds more than ${MAX_TREE_FILES} objects; give the folder of one scene`);
    cursor = page.cursor;
  } while (cursor);
  const sizes = new Map(files.map((file) => [file.path, file.size]));
  return {
    name: prefix,
    files,
    async open(path) {
      return cachedByteSource(blobByteSource(store, prefix + path, sizes.get(path) ?? 0));
    },
  };
}
