import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../core/errors.js';
import { parseStacRequest } from '../../../core/stac/stac-request.js';

const point = { point: { lat: 36.6, lng: -121.9 }, bufferKm: 1 };

describe('parseStacRequest', () => {
  it('turns dates into an inclusive instant range', () => {
    const request = parseStacRequest({ ...point, start: '2023-06-01', end: '2023-08-31' });
    expect(request.startInstant).toBe('2023-06-01T00:00:00Z');
    expect(request.endInstant).toBe('2023-08-31T23:59:59.999Z');
    expect(request.maxCloudCover).toBe(20);
    expect(request.series).toBe(false);
  });

  it('defaults bufferKm to 1 km around a point', () => {
    expect(parseStacRequest({ point: point.point, start: '2023-06-01', end: '2023-06-02' }).bufferKm).toBe(1);
  });

  it.each([
    [{ ...point, start: '2023-08-01', end: '2023-07-01' }, /end \(2023-07-01\) is before start/],
    [{ ...point, start: '2022-01-01', end: '2023-01-03' }, /the range is 367 days; at most 366/],
    [{ ...point, bbox: [1, 2, 3, 4], start: '2023-01-01', end: '2023-01-02' }, /either point .* or bbox/],
    [{ start: '2023-01-01', end: '2023-01-02' }, /either point/],
    [{ ...point, start: '01/02/2023', end: '2023-01-02' }, /expected a date/],
    [{ ...point, start: '2023-01-01', end: '2023-01-02', maxCloudCover: 120 }, /maxCloudCover/],
    [{ ...point, start: '2023-01-01', end: '2023-01-02', cloud: 5 }, /Unrecognized key/],
  ])('refuses %j', (input, message) => {
    expect(() => parseStacRequest(input)).toThrow(InvalidRequestError);
    expect(() => parseStacRequest(input)).toThrow(message);
  });

  it('accepts a leap year in full', () => {
    expect(() => parseStacRequest({ ...point, start: '2024-01-01', end: '2025-01-01' })).not.toThrow();
  });
});
