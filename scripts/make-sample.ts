/**
 * Writes the small synthetic sample committed under `samples/`: a 512 × 512 scene, seed 1,
 * processing baseline 04.00, as one multiband GeoTIFF plus its truth rasters.
 *
 * Run from the repository root: `npx tsx scripts/make-sample.ts`
 */
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeSampleScene } from '../adapters/local/sample-writer.js';
import { createSampleScene } from '../core/sample/scene.js';

const SAMPLES_DIR = 'samples';

/** Output names in `samples/` for the files `writeSampleScene` writes. */
const RENAMES: Record<string, string> = {
  'sample.tif': 'coastal-sample.tif',
  'truth-fraction.tif': 'coastal-sample-truth-fraction.tif',
  'truth-flags.tif': 'coastal-sample-truth-flags.tif',
};

async function main(): Promise<void> {
  await mkdir(SAMPLES_DIR, { recursive: true });
  const scratch = await mkdtemp(join(SAMPLES_DIR, '.make-sample-'));
  try {
    const scene = createSampleScene({ width: 512, height: 512, seed: 1 });
    const written = await writeSampleScene(scene, scratch, { layout: 'multiband' });
    for (const path of written) {
      const name = RENAMES[path.slice(scratch.length + 1)];
      const target = join(SAMPLES_DIR, name);
      await rename(path, target);
      console.log(`${target}  ${((await stat(target)).size / 1024).toFixed(0)} KiB`);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

await main();
