import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/**
 * The OpenJPEG decoder's WebAssembly bytes from the installed package (the CLI and tests run
 * beside node_modules).
 *
 * @example
 * ```ts
 * const decoder = createOpenJpegDecoder(readInstalledOpenJpegWasm);
 * ```
 */
export async function readInstalledOpenJpegWasm(): Promise<Uint8Array> {
  const path = createRequire(import.meta.url).resolve('@cornerstonejs/codec-openjpeg/decodewasm');
  return new Uint8Array(await readFile(path));
}
