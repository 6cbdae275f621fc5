import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, composeOnce } from '../../../adapters/compose-once.js';
import { MemoryBlobStore } from '../../../adapters/memory/memory-blob-store.js';
import { type UploadTriggerDeps, runUploadTrigger } from '../../../adapters/upload-trigger.js';
import { DeadlineExceededError } from '../../../core/errors.js';
import type { BlobStore } from '../../../core/ports/blob-store.js';
import type { Logger } from '../../../core/ports/logger.js';

const SAMPLE = new URL('../../../samples/coastal-sample.tif', import.meta.url);

function recordingLogger(): Logger & { lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> } {
  const lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function depsFor(store: BlobStore, logger: Logger, overrides: Partial<UploadTriggerDeps> = {}): UploadTriggerDeps {
  return {
    analysis: { imageStore: store, resultStore: store, imageStoreName: 'memory://', clock: { now: () => Date.now() }, logger, codeVersion: 'test', maxImagePixels: 1e8 },
    bucket: 'imagery',
    timeoutMs: 60_000,
    ...overrides,
  };
}

const command = (key: string, bucket = 'imagery') => ({ command: { store: 'azure', bucket, key }, eventId: 'evt-1' });

describe('runUploadTrigger', () => {
  it('ignores an event the platform translated as not an upload, with one line', async () => {
    const logger = recordingLogger();
    expect(await runUploadTrigger({ ignored: 'an object was deleted', eventId: 'evt-1' }, depsFor(new MemoryBlobStore(), logger))).toEqual({ kind: 'ignored', reason: 'an object was deleted' });
    expect(logger.lines).toEqual([{ level: 'info', message: 'upload event ignored', fields: { eventId: 'evt-1', reason: 'an object was deleted' } }]);
  });

  it('ignores an event for another bucket without touching the store', async () => {
    const store = new MemoryBlobStore();
    const head = vi.spyOn(store, 'head');
    const outcome = await runUploadTrigger(command('uploads/a.tif', 'elsewhere'), depsFor(store, recordingLogger()));
    expect(outcome).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/"elsewhere".*"imagery"/) });
    expect(head).not.toHaveBeenCalled();
  });

  it('aborts an analysis before the platform’s timeout and throws, so the event is retried', async () => {
    const store = new MemoryBlobStore();
    await store.put('uploads/slow.tif', new Uint8Array(await readFile(SAMPLE)));
    const slow = Object.create(store) as MemoryBlobStore;
    slow.getRange = async (key, offset, length, options) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return store.getRange(key, offset, length, options);
    };
    const logger = recordingLogger();

    await expect(runUploadTrigger(command('uploads/slow.tif'), depsFor(slow, logger, { timeoutMs: 400, deadlineMarginMs: 200 }))).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(logger.lines.filter((line) => line.level === 'error')).toEqual([
      expect.objectContaining({ message: 'upload event failed; the platform will retry it', fields: expect.objectContaining({ code: 'DEADLINE_EXCEEDED', eventId: 'evt-1' }) }),
    ]);
  });
});

describe('composeOnce', () => {
  afterEach(() => vi.restoreAllMocks());

  it('composes on first use only', () => {
    const compose = vi.fn(() => ({ ready: true }));
    const deps = composeOnce('test', compose);
    expect(compose).not.toHaveBeenCalled();
    expect(deps()).toBe(deps());
    expect(compose).toHaveBeenCalledTimes(1);
  });

  it('logs a failed composition once and throws a ConfigurationError on every use', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const deps = composeOnce('test', () => {
      throw new Error('invalid configuration: KELPIE_BUCKET: missing');
    });
    expect(() => deps()).toThrow(ConfigurationError);
    expect(() => deps()).toThrow(/test is not configured correctly: invalid configuration: KELPIE_BUCKET/);
    expect(error).toHaveBeenCalledTimes(1);
  });
});
