// Rebuilds the scan worker the pool starts threads from (adapters/workers/scan-worker.generated.ts)
// before any test runs, so tests never run a worker older than the source.
import { buildWorker } from '../scripts/build-worker.mjs';

export default async function setup(): Promise<void> {
  await buildWorker();
}
