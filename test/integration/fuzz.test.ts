import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');

/**
 * `npm run fuzz` with fixed seeds (test/fuzz/run-fuzz.ts): the named mutants (deflate tiles
 * labelled LZW, ZSTD and PackBits, non-finite and absurd georeferences, an IFD loop) and 150
 * seeded random ones of each source, in a process held to a 1 GiB heap. Every mutant must end in
 * a result or a typed error, within its time limit.
 */
describe('the fuzz run (fixed seeds)', () => {
  it('ends every mutant in a result or a typed error, in time, under 1 GiB', async () => {
    const outcome = await run(process.execPath, ['--import', 'tsx', '--max-old-space-size=1024', 'test/fuzz/run-fuzz.ts', '--count', '150', '--seed', '1', '--json'], { cwd: ROOT, timeout: 170_000 }).catch(
      (error: { stdout: string; stderr: string }) => error,
    );
    const summary = JSON.parse(outcome.stdout.trim().split('\n').pop() as string) as { counts: Record<string, number>; failures: string[]; maxRssMiB: number; codes: Record<string, number> };

    expect(summary.failures).toEqual([]);
    expect(summary.counts['untyped error'] + summary.counts['over time']).toBe(0);
    expect(Object.values(summary.counts).reduce((sum, n) => sum + n, 0)).toBeGreaterThanOrEqual(300);
    expect(summary.codes.CORRUPT_IMAGE).toBeGreaterThan(0);
    expect(summary.maxRssMiB).toBeLessThan(1024);
  }, 180_000);
});
