import type { BlobStore } from '../../core/ports/blob-store.js';
import { DependencyUnavailableError } from '../../core/errors.js';

/** Wraps a store so that its `n`-th `put` (1-based) fails like an unreachable store would. */
export function failingOnPut(store: BlobStore, n: number): BlobStore & { puts: number } {
  const wrapper = Object.create(store) as BlobStore & { puts: number };
  wrapper.puts = 0;
  wrapper.put = async (...args: Parameters<BlobStore['put']>) => {
    wrapper.puts++;
    if (wrapper.puts === n) throw new DependencyUnavailableError('store unreachable (injected)');
    return store.put(...args);
  };
  return wrapper;
}
