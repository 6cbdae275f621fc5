// Writes the bench scene (bench-scene.ts) into the folder given, in its own process: Linux keeps
// a process's peak-RSS high-water mark across fork + exec, so a harness that generated the tile
// itself would pass its ~1.1 GiB peak on to every analysis it then runs and measures.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nodeDeflate } from '../adapters/shared/node-compress.js';
import { writeSampleScene } from '../adapters/local/sample-writer.js';
import { createSampleScene } from '../core/sample/scene.js';

const [dir, size] = process.argv.slice(2);
const side = Number(size);
const scene = createSampleScene({ width: side, height: side, seed: 42 });
await writeSampleScene(scene, dir, { layout: 'per-band', tileSize: 512, compress: nodeDeflate(1) });
await writeFile(join(dir, '.complete'), '');
