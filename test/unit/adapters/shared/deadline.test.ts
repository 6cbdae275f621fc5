import { describe, expect, it, vi } from 'vitest';
import { DEADLINE_MARGIN_MS, startDeadline } from '../../../../adapters/shared/deadline.js';

describe('startDeadline', () => {
  it('aborts with a TimeoutError the margin before the timeout', async () => {
    const started = Date.now();
    const deadline = startDeadline(120, 60);
    await new Promise((resolve) => deadline.signal.addEventListener('abort', resolve));
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect((deadline.signal.reason as Error).name).toBe('TimeoutError');
  });

  it('never leaves less than half the timeout', async () => {
    const deadline = startDeadline(100, 1_000);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(deadline.signal.aborted).toBe(false);
    deadline.dispose();
  });

  it('aborts DEADLINE_MARGIN_MS before a long timeout by default', () => {
    vi.useFakeTimers();
    try {
      const deadline = startDeadline(60_000);
      vi.advanceTimersByTime(60_000 - DEADLINE_MARGIN_MS - 1);
      expect(deadline.signal.aborted).toBe(false);
      vi.advanceTimersByTime(1);
      expect(deadline.signal.aborted).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never aborts by itself without a timeout (a bare test context), only when asked', () => {
    const deadline = startDeadline(undefined);
    expect(deadline.signal.aborted).toBe(false);
    deadline.abort(new Error('the client went away'));
    expect((deadline.signal.reason as Error).message).toBe('the client went away');
  });

  it('does not abort once disposed', async () => {
    const deadline = startDeadline(40, 20);
    deadline.dispose();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(deadline.signal.aborted).toBe(false);
  });
});
