import { describe, expect, it } from 'vitest';
import { HttpStatusError, isTransient } from '../../../core/net/http-status.js';
import { createLimiter } from '../../../core/net/limiter.js';
import { withRetries } from '../../../core/net/retry.js';

const noSleep = { sleep: async () => undefined, random: () => 0.5 };

describe('withRetries', () => {
  it('retries server errors and resets, then succeeds', async () => {
    const failures = [new HttpStatusError(503, 'http://x/a'), new TypeError('fetch failed')];
    let calls = 0;
    const value = await withRetries(async () => {
      calls++;
      const failure = failures.shift();
      if (failure) throw failure;
      return 'ok';
    }, noSleep);
    expect(value).toBe('ok');
    expect(calls).toBe(3);
  });

  it('gives up after the retries and throws the last error', async () => {
    let calls = 0;
    await expect(withRetries(async () => { calls++; throw new HttpStatusError(502, 'http://x/a'); }, { ...noSleep, retries: 2 })).rejects.toThrow(/502/);
    expect(calls).toBe(3);
  });

  it('does not retry a client error', async () => {
    let calls = 0;
    await expect(withRetries(async () => { calls++; throw new HttpStatusError(404, 'http://x/a'); }, noSleep)).rejects.toThrow(/404/);
    expect(calls).toBe(1);
  });

  it('backs off exponentially with jitter, capped', async () => {
    const delays: number[] = [];
    await withRetries(async (attempt) => { if (attempt < 4) throw new TypeError('reset'); }, {
      retries: 4,
      baseDelayMs: 100,
      maxDelayMs: 500,
      random: () => 1,
      sleep: async (ms) => void delays.push(ms),
    });
    expect(delays).toEqual([100, 200, 400, 500]);
  });

  it('stops when the caller aborts, without another attempt', async () => {
    const controller = new AbortController();
    let calls = 0;
    const run = withRetries(async () => { calls++; controller.abort(new Error('deadline')); throw new TypeError('reset'); }, { ...noSleep, signal: controller.signal });
    await expect(run).rejects.toThrow('deadline');
    expect(calls).toBe(1);
  });

  it('treats timeouts as transient but not aborts by the caller', () => {
    expect(isTransient(new DOMException('late', 'TimeoutError'))).toBe(true);
    expect(isTransient(new DOMException('stop', 'AbortError'))).toBe(false);
    expect(isTransient(new HttpStatusError(429, 'http://x'))).toBe(true);
  });
});

describe('createLimiter', () => {
  it('never runs more tasks at once than allowed', async () => {
    const limiter = createLimiter(3);
    const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
    await Promise.all(Array.from({ length: 12 }, () => limiter.run(tick)));
    expect(limiter.peak).toBe(3);
    expect(limiter.active).toBe(0);
  });

  it('frees its slot when a task fails', async () => {
    const limiter = createLimiter(1);
    await expect(limiter.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'next')).resolves.toBe('next');
  });
});
