import { describe, expect, it } from 'vitest';
import { type AlertDelivery, MAX_DELIVERIES, afterDelivery, deliveryDue, findCrossings } from '../../../core/sites/alerts.js';
import type { QuarterValue } from '../../../core/sites/seasonal.js';
import { quarterBounds } from '../../../core/sites/quarters.js';
import type { Baseline } from '../../../core/sites/site-trend.js';

const quarter = (name: string, valueM2?: number): QuarterValue => ({ ...quarterBounds(name), count: valueM2 === undefined ? 0 : 1, flagged: 0, unobservable: 0, ...(valueM2 === undefined ? {} : { valueM2, maxM2: valueM2, medianM2: valueM2 }) });
const BASELINE: Baseline = { start: '2021-01-01', end: '2021-12-31', source: 'first-four', quarters: ['2021-Q1', '2021-Q2', '2021-Q3', '2021-Q4'], valueM2: 1000 };
const QUARTERS = [quarter('2021-Q1', 1000), quarter('2021-Q4', 500), quarter('2022-Q1', 900), quarter('2022-Q2', 790), quarter('2022-Q3'), quarter('2022-Q4', 700), quarter('2023-Q1', 850), quarter('2023-Q2', 600), quarter('2023-Q3', 1300)];

describe('findCrossings', () => {
  it('fires once at the first quarter past the threshold, again only after the value came back', () => {
    const crossings = findCrossings(QUARTERS, BASELINE, { thresholdPercent: 20, direction: 'drop' });
    expect(crossings.map((c) => [c.quarter, c.changePercent])).toEqual([['2022-Q2', -21], ['2023-Q2', -40]]);
  });

  it('ignores quarters of the baseline and quarters without a value', () => {
    expect(findCrossings([quarter('2021-Q4', 10), quarter('2022-Q1')], BASELINE, { thresholdPercent: 20, direction: 'drop' })).toEqual([]);
  });

  it('finds rises when asked, and both ways with "both"', () => {
    expect(findCrossings(QUARTERS, BASELINE, { thresholdPercent: 20, direction: 'rise' }).map((c) => c.quarter)).toEqual(['2023-Q3']);
    expect(findCrossings(QUARTERS, BASELINE, { thresholdPercent: 20, direction: 'both' }).map((c) => `${c.quarter}-${c.kind}`)).toEqual(['2022-Q2-drop', '2023-Q2-drop', '2023-Q3-rise']);
  });

  it('finds nothing without a baseline or with a zero baseline', () => {
    expect(findCrossings(QUARTERS, undefined, { thresholdPercent: 20, direction: 'drop' })).toEqual([]);
    expect(findCrossings(QUARTERS, { ...BASELINE, valueM2: 0 }, { thresholdPercent: 20, direction: 'drop' })).toEqual([]);
  });
});

describe('afterDelivery', () => {
  it('backs off 15 minutes doubling after each failed delivery, and gives up after the last', () => {
    let delivery: AlertDelivery = { status: 'pending', attempts: 0 };
    const t0 = Date.parse('2024-01-01T00:00:00Z');
    const waits: number[] = [];
    for (let i = 0; i < MAX_DELIVERIES; i++) {
      delivery = afterDelivery(delivery, { ok: false, status: 503, error: 'HTTP 503' }, t0);
      if (delivery.nextAttemptAfter) waits.push((Date.parse(delivery.nextAttemptAfter) - t0) / 60_000);
    }
    expect(waits).toEqual([15, 30, 60, 120, 240]);
    expect(delivery).toMatchObject({ status: 'failed', attempts: MAX_DELIVERIES, responseStatus: 503 });
    expect(deliveryDue(delivery, t0 + 1e12)).toBe(false);
  });

  it('is due once its backoff has passed, and delivered is final', () => {
    const t0 = Date.parse('2024-01-01T00:00:00Z');
    const pending = afterDelivery({ status: 'pending', attempts: 0 }, { ok: false, error: 'reset' }, t0);
    expect(deliveryDue(pending, t0 + 14 * 60_000)).toBe(false);
    expect(deliveryDue(pending, t0 + 15 * 60_000)).toBe(true);
    const delivered = afterDelivery(pending, { ok: true, status: 200 }, t0);
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 2, responseStatus: 200 });
    expect(deliveryDue(delivered, t0 + 1e12)).toBe(false);
  });
});
