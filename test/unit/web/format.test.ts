import { describe, expect, it } from 'vitest';
import { formatDateTime, formatHa, formatRangeTonnes, formatValue } from '../../../web/format.js';
import { classify } from '../../../web/types.js';
import { analysisIdFrom } from '../../../web/route.js';

describe('how the page writes figures', () => {
  it.each([
    [92.58, '92.58 ha'],
    [1234.5, '1,234.5 ha'],
    [0, '0 ha'],
  ])('writes %d ha as %s', (value, expected) => expect(formatHa(value)).toBe(expected));

  it('writes kilogram ranges as tonnes with the unit on both parts', () => {
    expect(formatRangeTonnes({ low: 133468.8, central: 183586.8, high: 253790 }, 't C')).toBe('133–254 t C (central 184 t C)');
    expect(formatRangeTonnes({ low: 611.05, central: 719.9, high: 922.6 }, 't')).toBe('0.611–0.923 t (central 0.72 t)');
  });

  it('writes dates in UTC and factors with their range and unit', () => {
    expect(formatDateTime('2023-07-14T18:55:31Z')).toBe('2023-07-14 18:55 UTC');
    expect(formatDateTime(undefined)).toBe('—');
    expect(formatValue({ low: 7.21, central: 7.55, high: 8.38, unit: 'kg m-2' })).toBe('7.55 (7.21–8.38) kg m-2');
    expect(formatValue(0.1 + 0.2)).toBe('0.3');
  });
});

describe('what the page reads', () => {
  it('tells a result, a series and a status document apart', () => {
    expect(classify({ id: 'a', kelp: {} })?.type).toBe('result');
    expect(classify({ id: 'a', kind: 'series', scenes: [] })?.type).toBe('series');
    expect(classify({ id: 'a', kind: 'series', status: 'running' })?.type).toBe('status');
    expect(classify({ errorMessage: '[504] - Lambda timeout.', errorType: 'LambdaTimeoutError' })).toBeUndefined();
  });

  it('takes an analysis id from the address, and nothing else', () => {
    expect(analysisIdFrom('#/analyses/0123456789abcdef0123')).toBe('0123456789abcdef0123');
    expect(analysisIdFrom('#/analyses/<img src=x>')).toBeUndefined();
    expect(analysisIdFrom('#/other')).toBeUndefined();
  });
});
