import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../core/errors.js';
import { crsFromEpsg, fromWgs84, toWgs84 } from '../../../core/raster/crs.js';
import type { Grid } from '../../../core/raster/grid.js';
import { aoiBbox, aoiWindow, kmPerDegree } from '../../../core/stac/aoi.js';

describe('kmPerDegree', () => {
  it('matches the WGS 84 lengths of a degree at the equator and at 60°', () => {
    expect(kmPerDegree(0).lat).toBeCloseTo(110.574, 2);
    expect(kmPerDegree(0).lon).toBeCloseTo(111.32, 2);
    expect(kmPerDegree(60).lat).toBeCloseTo(111.412, 2);
    expect(kmPerDegree(60).lon).toBeCloseTo(55.8, 1);
  });
});

describe('aoiBbox from a point and a buffer', () => {
  it('widens the longitude span by 1/cos(latitude) so the box is square on the ground', () => {
    const [west, south, east, north] = aoiBbox({ point: { lat: 60, lng: 5 }, bufferKm: 1 });
    const widthKm = (east - west) * kmPerDegree(60).lon;
    const heightKm = (north - south) * kmPerDegree(60).lat;
    expect(widthKm).toBeCloseTo(2, 3);
    expect(heightKm).toBeCloseTo(2, 3);
    // At 60° a degree of longitude is half as long, so the box spans about twice the degrees.
    expect((east - west) / (north - south)).toBeCloseTo(1.997, 2);
  });

  it('is about as many degrees wide as tall at the equator', () => {
    const [west, south, east, north] = aoiBbox({ point: { lat: 0, lng: 0 }, bufferKm: 5 });
    expect((east - west) / (north - south)).toBeCloseTo(110.574 / 111.32, 3);
  });

  it('measures 2 km a side in UTM metres for bufferKm 1', () => {
    const [west, south, east, north] = aoiBbox({ point: { lat: 36.6, lng: -121.9 }, bufferKm: 1 });
    const project = fromWgs84(crsFromEpsg(32610));
    const [x0] = project(west, (south + north) / 2);
    const [x1] = project(east, (south + north) / 2);
    const [, ya] = project(-121.9, south);
    const [, yb] = project(-121.9, north);
    expect(x1 - x0).toBeCloseTo(2000, -1);
    expect(yb - ya).toBeCloseTo(2000, -1);
  });
});

describe('aoiBbox validation', () => {
  it.each([
    [{ bbox: [10, 0, 5, 1] }, /west .* less than east/],
    [{ bbox: [0, 2, 1, 1] }, /south .* less than north/],
    [{ bbox: [179, 0, 181, 1] }, /±180/],
    [{ bbox: [0, 0, 2, 2] }, /at most 110 km/],
    [{ point: { lat: 89, lng: 0 }, bufferKm: 1 }, /latitude/],
    [{ point: { lat: 10, lng: 0 }, bufferKm: 0 }, /bufferKm/],
  ])('refuses %j', (input, message) => {
    expect(() => aoiBbox(input as never)).toThrow(InvalidRequestError);
    expect(() => aoiBbox(input as never)).toThrow(message);
  });
});

describe('aoiWindow', () => {
  const grid: Grid = { width: 1000, height: 1000, crs: crsFromEpsg(32610), transform: { originX: 590000, originY: 4060000, pixelWidth: 10, pixelHeight: -10 } };
  it('places a 2 km AOI on about 200 × 200 pixels of the 10 m grid', () => {
    const [lng, lat] = toWgs84(grid.crs)(595000, 4055000);
    const bbox = aoiBbox({ point: { lat, lng }, bufferKm: 1 });
    const placed = aoiWindow(grid, bbox);
    expect(placed?.clipped).toBe(false);
    expect(placed?.window.width).toBeGreaterThanOrEqual(200);
    expect(placed?.window.width).toBeLessThanOrEqual(206);
    expect(placed?.window.height).toBeGreaterThanOrEqual(200);
    expect(placed?.window.height).toBeLessThanOrEqual(206);
  });

  it('clips an AOI that overhangs the scene and says so', () => {
    const [west, south] = toWgs84(grid.crs)(589500, 4055000);
    const placed = aoiWindow(grid, [west, south, west + 0.02, south + 0.02]);
    expect(placed?.clipped).toBe(true);
    expect(placed?.window.x0).toBe(0);
  });

  it('is undefined for an AOI off the scene', () => {
    expect(aoiWindow(grid, [-10, 40, -9.99, 40.01])).toBeUndefined();
  });
});
