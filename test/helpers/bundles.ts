import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The parts of an esbuild metafile the bundle checks read. */
export interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, unknown>; imports: Array<{ path: string; kind: string; external?: boolean }>; entryPoint?: string }>;
}

/** Cloud SDKs and runtime libraries by platform: a function of one platform carries no other's. */
export const PLATFORM_PACKAGES = {
  aws: ['@aws-sdk/', '@aws-lambda-powertools/', '@middy/'],
  gcp: ['@google-cloud/', 'google-auth-library/'],
  azure: ['@azure/'],
} as const;

/** The output files `entry` loads: itself and what it imports, at start and on demand (`import()`). */
export function closureOf(metafile: Metafile, entry: string): string[] {
  const files = new Set([entry]);
  for (const file of files) for (const i of metafile.outputs[file]?.imports ?? []) if (!i.external && !i.path.endsWith('.map')) files.add(i.path);
  return [...files];
}

/** The source files (repository paths, `node_modules/…` for dependencies) bundled into `outputs`. */
export function inputsOf(metafile: Metafile, outputs: string[]): string[] {
  return [...new Set(outputs.flatMap((output) => Object.keys(metafile.outputs[output]?.inputs ?? {})))];
}

/** Inputs from a package of another platform than `platform` (e.g. `node_modules/@azure/storage-blob/…` in an AWS bundle). */
export function foreignInputs(inputs: string[], platform: keyof typeof PLATFORM_PACKAGES): string[] {
  const others = Object.entries(PLATFORM_PACKAGES).filter(([name]) => name !== platform).flatMap(([, prefixes]) => prefixes);
  return inputs.filter((input) => others.some((prefix) => input.includes(`node_modules/${prefix}`)) || (/(^|\/)adapters\/(aws|gcp|azure)\//.test(input) && !input.includes(`adapters/${platform}/`)));
}

/** Bytes on disk of `outputs` (paths relative to `root`), as deployed. */
export function bytesOnDisk(root: string, outputs: string[]): number {
  return outputs.reduce((sum, output) => sum + statSync(path.join(root, output)).size, 0);
}

/** Output files (not maps) that name a source map: Node would read the map at a cold start under --enable-source-maps. */
export function filesReferencingMaps(root: string, outputs: string[]): string[] {
  return outputs.filter((output) => /\/\/# sourceMappingURL=/.test(readFileSync(path.join(root, output), 'utf8')));
}
