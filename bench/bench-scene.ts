// The scene of the full-tile benchmarks, made once into .bench/ (not committed) and reused: a
// 10980 × 10980 Sentinel-2 tile (KELPIE_BENCH_SIZE to change) as per-band tiled deflate GeoTIFFs
// at native 10 m / 20 m (B02 … B12, SCL; what Earth Search and Planetary Computer serve), and the
// same bands as one 8-band pixel-interleaved file (bench/make-interleaved.py, with GDAL).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { buildWorker } from '../scripts/build-worker.mjs';

export const BENCH_SIZE = Number(process.env.KELPIE_BENCH_SIZE ?? 10980);
/** The Python with GDAL and numpy (Debian's). */
export const PYTHON = '/usr/bin/python3';

/** Paths of the two layouts: the per-band folder and the pixel-interleaved file (undefined without GDAL). */
export async function ensureBenchScene(): Promise<{ dir: string; interleaved?: string }> {
  // The worker threads run the embedded worker script: make it from the current source first.
  await buildWorker();
  const dir = join('.bench', `tile-${BENCH_SIZE}`);
  const marker = join(dir, '.complete');
  if (!existsSync(marker)) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const started = performance.now();
    process.stderr.write(`bench: generating a ${BENCH_SIZE} × ${BENCH_SIZE} scene in ${dir} (once; reused after)\n`);
    // In its own process (generate-scene.ts): this one's peak RSS would otherwise carry over to every analysis it runs.
    execFileSync(process.execPath, ['--import', 'tsx', 'bench/generate-scene.ts', dir, String(BENCH_SIZE)], { stdio: 'inherit' });
    process.stderr.write(`bench: generated in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  const interleaved = join(dir, 'stack-pixel.tif');
  if (!existsSync(interleaved)) {
    try {
      process.stderr.write(`bench: writing the pixel-interleaved 8-band layout ${interleaved} with GDAL (once)\n`);
      execFileSync(PYTHON, ['bench/make-interleaved.py', dir, `${interleaved}.tmp`], { stdio: 'inherit' });
      execFileSync('mv', [`${interleaved}.tmp`, interleaved]);
    } catch (error) {
      process.stderr.write(`bench: no pixel-interleaved layout (GDAL for ${PYTHON} missing?): ${(error as Error).message.split('\n')[0]}\n`);
      return { dir };
    }
  }
  return { dir, interleaved };
}

/**
 * Keeps every core busy (one spinning process per core, at normal priority) until the returned
 * function is called: the competing load a shared machine or a noisy neighbour puts on a run.
 */
export function startCpuLoad(processes = availableParallelism()): () => void {
  const children = Array.from({ length: processes }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  return () => {
    for (const child of children) child.kill('SIGKILL');
  };
}

/** Runs a command and parses the last line of its output as JSON. */
export function runJson(command: string, args: string[], env: Record<string, string> = {}): Record<string, unknown> {
  const output = execFileSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  return JSON.parse(output.trim().split('\n').pop() as string);
}
