/** Builds the scan worker and writes adapters/workers/scan-worker.generated.ts; returns the script's size in bytes. */
export function buildWorker(): Promise<number>;
