// Types of scripts/esbuild-plugins.cjs for the TypeScript that imports it.
import type { Plugin } from 'esbuild';

declare const plugins: Plugin[];
export = plugins;
