// A thread of `npm run bench:decode`: decodes whole block rows of some files with the analysis'
// own reader (BandFileReader, Node's zlib in this thread) and posts the time it took.
import { parentPort, workerData } from 'node:worker_threads';
import { openFileSource } from '../adapters/local/file-source.js';
import { createThreadInflate } from '../adapters/shared/node-inflate.js';
import { BandFileReader } from '../core/raster/band-file.js';
import { openTiff } from '../core/raster/open-tiff.js';

const { files, share, shares } = workerData as { files: Array<{ path: string; samples: number[] }>; share: number; shares: number };

async function decode(): Promise<number> {
  let checksum = 0;
  for (const file of files) {
    const source = await openFileSource(file.path);
    const info = await openTiff(source);
    const reader = new BandFileReader(info, file.samples, createThreadInflate());
    const blockRows = Math.ceil(info.height / info.blockHeight);
    // Block rows are dealt out in turn, so every thread gets a share of every file.
    for (let row = share; row < blockRows; row += shares) {
      const y0 = row * info.blockHeight;
      const block = await reader.readRows(y0, Math.min(info.height, y0 + info.blockHeight));
      for (const grid of block.grids) checksum += grid.blocks.length;
    }
    await source.close();
  }
  return checksum;
}

// CommonJS once bundled (bench/decode.ts): no top-level await.
void decode().then((checksum) => parentPort?.postMessage(checksum));
