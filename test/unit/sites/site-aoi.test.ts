import { describe, expect, it } from 'vitest';
import { InvalidRequestError, UnusableAoiError } from '../../../core/errors.js';
import { parseSiteAoi, ringAreaM2 } from '../../../core/sites/site-aoi.js';

const square = (lon: number, lat: number, d: number) => [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]];

describe('parseSiteAoi', () => {
  it('turns a point and buffer into a square polygon of (2 × buffer)² km', () => {
    const aoi = parseSiteAoi({ point: { lat: 36.6, lng: -121.9 }, bufferKm: 1 });
    expect(aoi.kind).toBe('point');
    expect(aoi.geometry.coordinates).toHaveLength(1);
    expect(aoi.areaM2 / 4e6).toBeCloseTo(1, 1);
  });

  it('keeps a polygon with a hole, and subtracts the hole from its area', () => {
    const outer = square(-121.95, 36.5, 0.02);
    const hole = square(-121.945, 36.505, 0.005);
    const aoi = parseSiteAoi({ type: 'Polygon', coordinates: [outer, hole] });
    expect(aoi.areaM2).toBeCloseTo(ringAreaM2(outer as never) - ringAreaM2(hole as never), -1);
    expect(aoi.vertices).toBe(8);
  });

  it('accepts a MultiPolygon of separate parts', () => {
    const aoi = parseSiteAoi({ type: 'MultiPolygon', coordinates: [[square(-121.95, 36.5, 0.01)], [square(-121.93, 36.5, 0.01)]] });
    expect(aoi.geometry.coordinates).toHaveLength(2);
    expect(aoi.bboxWgs84).toEqual([-121.95, 36.5, -121.92, 36.51]);
  });

  it.each([
    ['overlapping parts', { type: 'MultiPolygon' as const, coordinates: [[square(-121.95, 36.5, 0.02)], [square(-121.945, 36.505, 0.005)]] }, /overlap/],
    ['a hole outside its polygon', { type: 'Polygon' as const, coordinates: [square(-121.95, 36.5, 0.01), square(-121.9, 36.5, 0.005)] }, /outside its outer ring/],
    ['a hole touching its outer ring', { type: 'Polygon' as const, coordinates: [square(-121.95, 36.5, 0.02), square(-121.95, 36.505, 0.005)] }, /cross or touch/],
    ['an area under ten pixels', { type: 'Polygon' as const, coordinates: [square(-121.95, 36.5, 0.0002)] }, /at least 1000 m²/],
    ['a long thin box over the box limit', { bbox: [-122.5, 36.5, -121.5, 36.6] as [number, number, number, number] }, /bounding box|at most 100 km²/],
  ])('refuses %s (422)', (_name, input, message) => {
    expect(() => parseSiteAoi(input)).toThrow(UnusableAoiError);
    expect(() => parseSiteAoi(input)).toThrow(message);
  });

  it('answers 400 for coordinates that are not positions', () => {
    expect(() => parseSiteAoi({ type: 'Polygon', coordinates: [[[0, 0], [1, 'x'], [1, 1], [0, 0]]] })).toThrow(InvalidRequestError);
    expect(() => parseSiteAoi({ type: 'MultiPolygon', coordinates: [] })).toThrow(InvalidRequestError);
  });
});
