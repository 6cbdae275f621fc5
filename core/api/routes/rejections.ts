import { NotFoundError } from '../../errors.js';
import { type AnalysisStatus, analysisLinks } from '../../jobs/status.js';
import type { BlobStore } from '../../ports/blob-store.js';
import { errorKey } from '../../usecases/result-keys.js';

/** Said when an `error.json` cannot be read as the upload trigger writes it (an older or damaged record). */
const UNREADABLE = { code: 'UPLOAD_REJECTED', message: 'the upload could not be analysed, and the reason recorded for it cannot be read; upload the image again' };

/**
 * The status of an upload the trigger could not analyse: `results/<id>/error.json`, written by
 * `handleObjectCreated` (the id, the object's key, an error code and message, when) instead of a
 * result. Shown as a final failure, as a failed job's status is, so `GET /api/analyses/{id}`
 * tells the user why instead of answering 404. Undefined when there is no such record.
 *
 * @example
 * ```ts
 * (await readRejection(store, id))?.error; // { code: 'NOT_A_TIFF', message: '…', retryable: false }
 * ```
 */
export async function readRejection(store: BlobStore, id: string, signal?: AbortSignal): Promise<AnalysisStatus | undefined> {
  let text: string;
  try {
    text = new TextDecoder().decode(await store.get(errorKey(id), { signal }));
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
  const record = parseRecord(text);
  const at = typeof record.at === 'string' && Number.isFinite(Date.parse(record.at)) ? record.at : new Date(0).toISOString();
  const known = typeof record.code === 'string' && typeof record.message === 'string';
  return {
    schemaVersion: 1,
    id,
    kind: 'scene',
    status: 'failed',
    submittedAt: at,
    updatedAt: at,
    finishedAt: at,
    attempt: 1,
    error: { ...(known ? { code: record.code as string, message: record.message as string } : UNREADABLE), retryable: false },
    source: typeof record.key === 'string' ? { key: record.key } : {},
    links: analysisLinks(id),
  };
}

function parseRecord(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
