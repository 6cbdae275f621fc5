// Types of scripts/build-functions.mjs for the TypeScript that imports it (bench/cold-start.ts).
import type { BuildOptions } from 'esbuild';

/** esbuild options every Google Cloud and Azure function bundle shares. */
export declare const FUNCTION_BUNDLE_OPTIONS: BuildOptions;

/** Per platform: the function files, the external platform library, extra files to copy. */
export declare const TARGETS: Record<'gcp' | 'azure', { entries: Record<string, string>; platformLibrary: string; copy: string[] }>;
