import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { analysisRuntime, workerCount } from '../../../../adapters/shared/analysis-runtime.js';

describe('analysisRuntime', () => {
  it('uses every core the process may use unless KELPIE_WORKERS says otherwise', () => {
    expect(workerCount({})).toBe(availableParallelism());
    expect(workerCount({ KELPIE_WORKERS: 3 })).toBe(3);
  });

  it('scans in-process with one worker: no executor, zlib on libuv threads', () => {
    const runtime = analysisRuntime({ KELPIE_WORKERS: 1 });
    expect(runtime.executor).toBeUndefined();
    expect(runtime.inflate).toBeTypeOf('function');
  });

  it('gives one executor per size for the whole process, with that many workers', () => {
    const first = analysisRuntime({ KELPIE_WORKERS: 3 });
    expect(first.executor?.parallelism).toBe(3);
    expect(analysisRuntime({ KELPIE_WORKERS: 3 }).executor).toBe(first.executor);
  });
});
