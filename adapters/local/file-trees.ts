import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { InvalidRequestError, UnsafeArchiveError } from '../../core/errors.js';
import { type FileTree, MAX_TREE_FILES, type TreeFile } from '../../core/inputs/file-tree.js';
import type { ByteSource } from '../../core/raster/byte-source.js';
import { openFileSource } from './file-source.js';

/** A file tree whose opened files are closed with it. */
export interface LocalTree {
  tree: FileTree;
  close(): Promise<void>;
}

/** Folders descended into at most (a .SAFE's band files are 5 levels down). */
const MAX_DEPTH = 8;

/**
 * The files under a local folder (a .SAFE, or a folder of band files), as a tree with paths
 * relative to it; each opens with positional reads.
 *
 * @example
 * ```ts
 * const { tree, close } = await directoryTree('S2B_MSIL2A_20240715T185919_N0511_R013_T10SEG_20240715T230122.SAFE');
 * ```
 */
export async function directoryTree(root: string): Promise<LocalTree> {
  const paths: string[] = [];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = relative(root, join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name)).split(sep).join('/');
    if (path.split('/').length > MAX_DEPTH) continue;
    paths.push(path);
    if (paths.length > MAX_TREE_FILES) throw new UnsafeArchiveError(`${basename(root)} holds more than ${MAX_TREE_FILES} files; give the folder of one scene`);
  }
  const locate = (path: string) => join(root, ...path.split('/'));
  const files: TreeFile[] = await Promise.all(paths.map(async (path) => ({ path, size: (await stat(locate(path))).size })));
  return openedTree(`${basename(root)}/`, files, locate);
}

/**
 * Files given one by one (`kelpie analyze B02.tif B04.tif …`) as a tree of their base names.
 *
 * @example
 * ```ts
 * const { tree, close } = await fileListTree(['scenes/B04.tif', 'scenes/B08.tif']);
 * ```
 */
export async function fileListTree(paths: readonly string[]): Promise<LocalTree> {
  const byName = new Map(paths.map((path) => [basename(path), path]));
  if (byName.size < paths.length) throw new InvalidRequestError('two of the files given have the same name; give each band once (or give their folder)');
  const local = openedTree('the files given', [], (name) => byName.get(name) ?? name);
  try {
    // Opened now: a missing file is named at once, and each file's size is known.
    for (const name of byName.keys()) local.tree.files.push({ path: name, size: (await local.tree.open(name)).size });
  } catch (error) {
    await local.close();
    throw error;
  }
  return local;
}

/** A tree that opens each file once, and closes them all with `close()`. */
function openedTree(name: string, files: TreeFile[], locate: (path: string) => string): LocalTree {
  const opened = new Map<string, Promise<ByteSource & { close(): Promise<void> }>>();
  const tree: FileTree = {
    name,
    files,
    open(path) {
      let source = opened.get(path);
      if (!source) {
        source = openFileSource(locate(path));
        opened.set(path, source);
      }
      return source;
    },
  };
  return {
    tree,
    async close() {
      await Promise.all([...opened.values()].map((source) => source.then((s) => s.close(), () => undefined)));
    },
  };
}
