import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ApiClient, ApiError, type ApiReply, parseRetryAfter } from '../../../web/api.js';
import { type JobEvents, JobRunner, MAX_FAILURES, MAX_POLL_MS, type PageVisibility, SubmissionKeys, pollDelay, retryDelay, sleep } from '../../../web/job.js';

const status = (id: string, state: 'queued' | 'running' | 'failed' = 'running', percent = 50) => ({
  id,
  kind: 'scene',
  status: state,
  submittedAt: '2024-01-01T00:00:00Z',
  updatedAt: '2024-01-01T00:00:00Z',
  progress: { step: 'scanning rows', done: percent, total: 100, unit: 'rows', percent },
  ...(state === 'failed' ? { error: { code: 'UNUSABLE_IMAGE', message: 'the image has no B08' } } : {}),
});
const result = (id: string) => ({ id, kelp: { areaHa: 1 } });

type Answer = ApiReply<unknown> | ApiError;

/**
 * An API double: `GET api/analyses/<id>` answers from a script per id (the last answer repeats),
 * `POST api/analyses` from `posts`; every call is recorded with the fake time it was made at.
 */
function fakeApi(script: Record<string, Answer[]>, posts: Answer[] = []) {
  const calls: Array<{ method: string; path: string; at: number; key?: string }> = [];
  const pending: Array<{ path: string; resolve: () => void }> = [];
  let hold = false;
  const api: ApiClient = {
    url: (path) => path,
    blob: () => Promise.reject(new Error('no blobs here')),
    async json<T>(method: 'GET' | 'POST', path: string, init: { headers?: Record<string, string>; signal?: AbortSignal } = {}) {
      calls.push({ method, path, at: Date.now(), key: init.headers?.['idempotency-key'] });
      if (hold) await new Promise<void>((resolve) => pending.push({ path, resolve }));
      const answers = method === 'POST' ? posts : script[path.replace('api/analyses/', '')];
      const answer = answers.length > 1 ? answers.shift() : answers[0];
      if (!answer) throw new Error(`nothing scripted for ${method} ${path}`);
      if (answer instanceof ApiError) throw answer;
      return answer as ApiReply<T>;
    },
  };
  return {
    api,
    calls,
    gets: (id: string) => calls.filter((call) => call.method === 'GET' && call.path === `api/analyses/${id}`),
    /** From now on, answers wait until `release` (to answer after the page moved on). */
    holdAnswers: () => (hold = true),
    release: () => pending.splice(0).forEach((call) => call.resolve()),
  };
}

const running = (id: string, retryAfterMs?: number): ApiReply<unknown> => ({ status: 202, body: status(id), retryAfterMs });
const finished = (id: string): ApiReply<unknown> => ({ status: 200, body: result(id) });

function recorder() {
  const seen: string[] = [];
  const events: JobEvents = {
    status: (s) => seen.push(`status ${s.id} ${s.status}`),
    done: (document) => seen.push(`done ${document.type === 'result' ? document.result.id : document.series.id}`),
    failed: (error, phase) => seen.push(`failed ${phase} ${error.status} ${error.message}`),
    retrying: (error, delay) => seen.push(`retrying ${error.status} in ${delay}`),
  };
  return { seen, events };
}

function fakeVisibility(hidden = false) {
  let waiting: Array<() => void> = [];
  const visibility: PageVisibility = {
    hidden: () => hidden,
    visible: (signal) => new Promise<void>((resolve, reject) => {
      waiting.push(resolve);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    }),
  };
  return {
    visibility,
    hide: () => (hidden = true),
    show: () => {
      hidden = false;
      waiting.splice(0).forEach((resolve) => resolve());
      waiting = [];
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('how often the page asks about a running analysis', () => {
  it('asks at the server’s Retry-After pace first, then less and less often, up to 15 s', () => {
    const delays = Array.from({ length: 14 }, (_, polls) => pollDelay(polls, 2000));
    expect(delays.slice(0, 5)).toEqual([2000, 2000, 2000, 2000, 2000]);
    for (let i = 5; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]);
    expect(delays[5]).toBe(3000);
    expect(delays.at(-1)).toBe(MAX_POLL_MS);
    expect(pollDelay(0, undefined)).toBe(2000); // no Retry-After: 2 s
    expect(pollDelay(0, 0)).toBe(500); // never hammering
    expect(pollDelay(0, 60_000)).toBe(60_000); // a longer Retry-After is honoured
  });

  it('retries after 1, 2, 4, 8 s… up to 15 s, or after the Retry-After of a 429 or 503', () => {
    expect([1, 2, 3, 4, 5, 6].map((failures) => retryDelay(failures, undefined))).toEqual([1000, 2000, 4000, 8000, 15_000, 15_000]);
    expect(retryDelay(1, 5000)).toBe(5000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(' 0 ')).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:07 GMT', 2000)).toBe(5000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('JobRunner', () => {
  it('polls at the Retry-After of the 202s, not every second', async () => {
    const fake = fakeApi({ a: [running('a', 2000), running('a', 2000), finished('a')] });
    const { seen, events } = recorder();
    const runner = new JobRunner(fake.api, events, fakeVisibility().visibility);
    const done = runner.follow('a', { document: { type: 'status', status: status('a') as never }, retryAfterMs: 2000 });
    await vi.advanceTimersByTimeAsync(10_000);
    await done;
    expect(fake.gets('a').map((call) => call.at)).toEqual([2000, 4000, 6000]);
    expect(seen).toEqual(['status a running', 'status a running', 'status a running', 'done a']);
    expect(runner.following).toBe(false);
  });

  it('keeps following the current analysis when a new submission is refused, and reports nothing of a stopped one', async () => {
    const fake = fakeApi({ a: [running('a'), running('a'), finished('a')] }, [new ApiError(400, 'MALFORMED_REQUEST', 'start must be a date'), new ApiError(0, 'NETWORK', 'could not reach the server')]);
    const { seen, events } = recorder();
    const runner = new JobRunner(fake.api, events, fakeVisibility().visibility);
    const following = runner.follow('a');
    await vi.advanceTimersByTimeAsync(0);
    await expect(runner.submit({ source: { key: 'uploads/x.tif' } }, 'k1')).rejects.toThrow('start must be a date');
    await expect(runner.submit({ source: { key: 'uploads/x.tif' } }, 'k1')).rejects.toThrow('could not reach the server');
    expect(runner.following).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    await following;
    expect(seen).toEqual(['status a running', 'status a running', 'done a']);
  });

  it('drops the answer of an analysis the page has moved away from', async () => {
    const fake = fakeApi({ a: [finished('a')], b: [running('b'), finished('b')] });
    const { seen, events } = recorder();
    const runner = new JobRunner(fake.api, events, fakeVisibility().visibility);
    fake.holdAnswers();
    const first = runner.follow('a');
    await vi.advanceTimersByTimeAsync(0);
    const second = runner.follow('b');
    fake.release(); // a's answer arrives after b was opened
    await vi.advanceTimersByTimeAsync(0);
    fake.release();
    await first;
    await vi.advanceTimersByTimeAsync(5000);
    fake.release();
    await vi.advanceTimersByTimeAsync(0);
    await second;
    expect(seen).toEqual(['status b running', 'done b']);
  });

  it.each([429, 502, 503, 504, 0])('retries a %d with a growing wait, then carries on', async (code) => {
    const refusal = new ApiError(code, 'BUSY', 'try later', undefined, code === 429 ? 3000 : undefined);
    const fake = fakeApi({ a: [refusal, refusal, running('a'), finished('a')] });
    const { seen, events } = recorder();
    const runner = new JobRunner(fake.api, events, fakeVisibility().visibility);
    const done = runner.follow('a');
    await vi.advanceTimersByTimeAsync(30_000);
    await done;
    expect(seen).toEqual([`retrying ${code} in ${code === 429 ? 3000 : 1000}`, `retrying ${code} in ${code === 429 ? 3000 : 2000}`, 'status a running', 'done a']);
    expect(fake.gets('a').map((call) => call.at)).toEqual(code === 429 ? [0, 3000, 6000, 8000] : [0, 1000, 3000, 5000]);
  });

  it(`gives up after ${MAX_FAILURES} failures in a row and says why`, async () => {
    const fake = fakeApi({ a: [new ApiError(503, 'DEPENDENCY_UNAVAILABLE', 'the store is not answering')] });
    const { seen, events } = recorder();
    const runner = new JobRunner(fake.api, events, fakeVisibility().visibility);
    const done = runner.follow('a');
    await vi.advanceTimersByTimeAsync(120_000);
    await done;
    expect(fake.gets('a')).toHaveLength(MAX_FAILURES);
    expect(seen.at(-1)).toBe('failed request 503 the store is not answering');
    expect(runner.following).toBe(false);
  });

  it('does not retry what a retry cannot fix (401, 404) and reports a failed analysis as the job’s failure', async () => {
    const fake = fakeApi({ a: [new ApiError(401, 'UNAUTHORIZED', 'send your API key')], b: [{ status: 200, body: status('b', 'failed') }] });
    const { seen, events } = recorder();
    const runner = new JobRunner(fake.api, events, fakeVisibility().visibility);
    await runner.follow('a');
    await runner.follow('b');
    expect(fake.gets('a')).toHaveLength(1);
    expect(seen).toEqual(['failed request 401 send your API key', 'failed job 200 the image has no B08']);
  });

  it('asks nothing while the page is hidden, and asks at once when it is shown again', async () => {
    const fake = fakeApi({ a: [running('a', 2000), running('a', 2000), finished('a')] });
    const { seen, events } = recorder();
    const page = fakeVisibility();
    const runner = new JobRunner(fake.api, events, page.visibility);
    const done = runner.follow('a');
    await vi.advanceTimersByTimeAsync(0);
    page.hide();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.gets('a').map((call) => call.at)).toEqual([0]);
    page.show();
    await vi.advanceTimersByTimeAsync(2000);
    await done;
    expect(fake.gets('a').map((call) => call.at)).toEqual([0, 60_000, 62_000]);
    expect(seen.at(-1)).toBe('done a');
  });

  it('stops waiting for a hidden page when it is told to stop', async () => {
    const fake = fakeApi({ a: [running('a')] });
    const page = fakeVisibility();
    const runner = new JobRunner(fake.api, recorder().events, page.visibility);
    const done = runner.follow('a');
    await vi.advanceTimersByTimeAsync(0);
    page.hide();
    await vi.advanceTimersByTimeAsync(5000);
    runner.stop();
    await expect(done).resolves.toBeUndefined();
  });
});

describe('sleep', () => {
  it('leaves no abort listener behind when its time is up, and rejects when aborted', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 50; i++) {
      const slept = sleep(100, controller.signal);
      await vi.advanceTimersByTimeAsync(100);
      await slept;
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const slept = sleep(100, controller.signal);
    controller.abort(new Error('stopped'));
    await expect(slept).rejects.toThrow('stopped');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});

describe('SubmissionKeys (the Idempotency-Key of the form’s POSTs)', () => {
  it('sends the same key again for the same body until a POST of it succeeds', () => {
    let n = 0;
    const keys = new SubmissionKeys(() => `key-${++n}`);
    const body = { source: { key: 'uploads/a.tif' }, method: 'kd' };
    expect(keys.keyFor(body)).toBe('key-1');
    expect(keys.keyFor({ ...body })).toBe('key-1'); // a resend after a timeout: the same key
    expect(keys.keyFor({ ...body, method: 'fai' })).toBe('key-2'); // the form changed: a new one
    expect(keys.keyFor({ ...body, method: 'fai' })).toBe('key-2');
    keys.succeeded();
    expect(keys.keyFor({ ...body, method: 'fai' })).toBe('key-3'); // a new submission after a success
  });

  it('makes 32 hex digit keys by default', () => {
    expect(new SubmissionKeys().keyFor({})).toMatch(/^[0-9a-f]{32}$/);
  });
});
