import type { FileTree } from '../../core/inputs/file-tree.js';
import { memoryByteSource } from '../../core/raster/byte-source.js';

/** A file tree over in-memory text files (path → contents), as a folder or zip of a product would list them. */
export function memoryTree(name: string, files: Record<string, string>): FileTree {
  const bytes = new Map(Object.entries(files).map(([path, text]) => [path, new TextEncoder().encode(text)]));
  return {
    name,
    files: [...bytes].map(([path, data]) => ({ path, size: data.byteLength })),
    open: async (path) => memoryByteSource(path.split('/').pop() ?? path, bytes.get(path) ?? new Uint8Array(0)),
  };
}
