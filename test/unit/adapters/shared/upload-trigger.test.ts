import { readFile } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import { MemoryBlobStore } from '../../../../adapters/memory/memory-blob-store.js';
import { UnrecognizedEventError, UploadRetryError } from '../../../../adapters/shared/errors.js';
import { type UploadTriggerDeps, type UploadTriggerInput, handleUploadEvent, runUploadTrigger } from '../../../../adapters/shared/upload-trigger.js';
import { DependencyUnavailableError, InvalidRequestError } from '../../../../core/errors.js';
import type { BlobStore } from '../../../../core/ports/blob-store.js';
import type { Logger } from '../../../../core/ports/logger.js';

const SAMPLE = new URL('../../../../samples/coastal-sample.tif', import.meta.url);
const VIA = { via: 'test' };
const live = () => new AbortController().signal;

function recordingLogger(): Logger & { lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> } {
  const lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function depsFor(store: BlobStore, logger: Logger = recordingLogger(), overrides: Partial<UploadTriggerDeps> = {}): UploadTriggerDeps {
  return {
    analysis: { imageStore: store, resultStore: store, imageStoreName: 'memory://', clock: { now: () => Date.now() }, logger, codeVersion: 'test', maxImagePixels: 1e8 },
    bucket: 'imagery',
    ...overrides,
  };
}

const command = (key: string, bucket = 'imagery'): UploadTriggerInput => ({ command: { store: 'azure', bucket, key }, eventId: 'evt-1' });

async function storeWithSample(key: string): Promise<MemoryBlobStore> {
  const store = new MemoryBlobStore();
  await store.put(key, new Uint8Array(await readFile(SAMPLE)));
  return store;
}

describe('runUploadTrigger: one decision per event, the same on every platform', () => {
  it('acknowledges an event the platform translated as not an upload, with one info line', async () => {
    const logger = recordingLogger();
    expect(await runUploadTrigger({ ignored: 'an object was deleted', eventId: 'evt-1' }, depsFor(new MemoryBlobStore(), logger), live(), VIA)).toEqual({ outcome: 'ignored', disposition: 'acknowledge', reason: 'an object was deleted' });
    expect(logger.lines).toEqual([{ level: 'info', message: 'upload event handled', fields: { via: 'test', eventId: 'evt-1', outcome: 'ignored', disposition: 'acknowledge', reason: 'an object was deleted' } }]);
  });

  it('drops an event that cannot be read, with a warning, and does not ask for it again', async () => {
    const logger = recordingLogger();
    const report = await runUploadTrigger({ unreadable: new UnrecognizedEventError('the storage event has no data.bucket and data.name') }, depsFor(new MemoryBlobStore(), logger), live(), VIA);
    expect(report).toEqual({ outcome: 'dropped', disposition: 'drop', reason: 'UNRECOGNIZED_EVENT: the storage event has no data.bucket and data.name' });
    expect(logger.lines.map((line) => line.level)).toEqual(['warn']);
  });

  it('acknowledges a key outside uploads/ or not a TIFF without reading it, whichever bucket it names', async () => {
    const store = new MemoryBlobStore();
    const head = vi.spyOn(store, 'head');
    expect(await runUploadTrigger(command('results/abc/result.json', 'backups'), depsFor(store), live(), VIA)).toMatchObject({ outcome: 'ignored', disposition: 'acknowledge' });
    expect(await runUploadTrigger(command('uploads/notes.txt'), depsFor(store), live(), VIA)).toMatchObject({ outcome: 'ignored', disposition: 'acknowledge' });
    expect(head).not.toHaveBeenCalled();
  });

  it('hands an upload to another bucket back for a retry, logged at error level, without reading it', async () => {
    const store = new MemoryBlobStore();
    const head = vi.spyOn(store, 'head');
    const logger = recordingLogger();
    const report = await runUploadTrigger(command('uploads/a.tif', 'elsewhere'), depsFor(store, logger), live(), VIA);
    expect(report).toMatchObject({ outcome: 'failed', disposition: 'retry', reason: expect.stringMatching(/"elsewhere".*"imagery" \(KELPIE_BUCKET\)/) });
    expect(head).not.toHaveBeenCalled();
    expect(logger.lines).toEqual([expect.objectContaining({ level: 'error', message: 'upload event not done; the platform will deliver it again' })]);
  });

  it('does not check the bucket of a store that has none (fs, memory)', async () => {
    const store = await storeWithSample('uploads/a.tif');
    expect(await runUploadTrigger(command('uploads/a.tif', 'local'), depsFor(store, recordingLogger(), { bucket: undefined }), live(), VIA)).toMatchObject({ outcome: 'analysed' });
  });

  it('analyses an upload, then finds it done when the event comes again', async () => {
    const store = await storeWithSample('uploads/a.tif');
    const first = await runUploadTrigger(command('uploads/a.tif'), depsFor(store), live(), VIA);
    const again = await runUploadTrigger(command('uploads/a.tif'), depsFor(store), live(), VIA);
    expect(first).toMatchObject({ outcome: 'analysed', disposition: 'acknowledge', id: expect.stringMatching(/^[0-9a-f]{20}$/) });
    expect(again).toEqual({ ...first, outcome: 'duplicate' });
  });

  it('drops an unusable image once its error.json is written', async () => {
    const store = new MemoryBlobStore();
    await store.put('uploads/notes.tif', 'not a tiff at all');
    const report = await runUploadTrigger(command('uploads/notes.tif'), depsFor(store), live(), VIA);
    expect(report).toMatchObject({ outcome: 'rejected', disposition: 'drop', reason: expect.stringMatching(/^NOT_A_TIFF/) });
    expect(await store.head(`results/${report.id}/error.json`)).toBeDefined();
  });

  it.each([
    ['a dependency down', new DependencyUnavailableError('store down'), 'retry', 'failed'],
    ['a bug', new TypeError('x is undefined'), 'retry', 'failed'],
    ['a malformed command', new InvalidRequestError('key has a control character'), 'drop', 'dropped'],
  ])('decides %s by the one table of core/delivery.ts', async (_name, error, disposition, outcome) => {
    const deps = depsFor(new MemoryBlobStore(), recordingLogger(), { handle: async () => Promise.reject(error) });
    expect(await runUploadTrigger(command('uploads/a.tif'), deps, live(), VIA)).toMatchObject({ outcome, disposition });
  });

  it('defers an event whose invocation is already out of time, without reading it', async () => {
    const store = new MemoryBlobStore();
    const head = vi.spyOn(store, 'head');
    const spent = AbortSignal.abort();
    expect(await runUploadTrigger(command('uploads/a.tif'), depsFor(store), spent, VIA)).toMatchObject({ outcome: 'deferred', disposition: 'retry' });
    expect(head).not.toHaveBeenCalled();
  });

  it('counts every event by outcome when given metrics', async () => {
    const count = vi.fn();
    await runUploadTrigger({ ignored: 'deleted' }, depsFor(new MemoryBlobStore(), recordingLogger(), { metrics: { count, observe: vi.fn() } }), live(), VIA);
    expect(count).toHaveBeenCalledWith('kelpie_upload_records_total', { via: 'test', outcome: 'ignored' });
  });
});

describe('handleUploadEvent', () => {
  it('aborts an analysis before the platform’s timeout and throws UploadRetryError, so the event is delivered again', async () => {
    const store = await storeWithSample('uploads/slow.tif');
    const slow = Object.create(store) as MemoryBlobStore;
    slow.getRange = async (key, offset, length, options) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return store.getRange(key, offset, length, options);
    };
    const logger = recordingLogger();

    const started = Date.now();
    await expect(handleUploadEvent(command('uploads/slow.tif'), depsFor(slow, logger), { timeoutMs: 400, via: VIA })).rejects.toBeInstanceOf(UploadRetryError);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(logger.lines.filter((line) => line.level === 'error')).toEqual([
      expect.objectContaining({ message: 'upload event not done; the platform will deliver it again', fields: expect.objectContaining({ reason: expect.stringMatching(/^DEADLINE_EXCEEDED/), eventId: 'evt-1' }) }),
    ]);
  });

  it('resolves with the report for anything not to be retried', async () => {
    expect(await handleUploadEvent({ ignored: 'deleted' }, depsFor(new MemoryBlobStore()), { timeoutMs: 60_000, via: VIA })).toMatchObject({ outcome: 'ignored' });
  });
});
