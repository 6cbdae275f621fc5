import { describe, expect, it } from 'vitest';
import { MAX_MAP_SIDE, chooseMapGrid, layerMapGrid } from '../../../core/artifacts/map-grid.js';
import { crsFromEpsg, toWgs84, wgs84Bounds, wgs84ToMercator } from '../../../core/raster/crs.js';
import { lonLatGrid, zoneEdgeGrid } from './map-scenes.js';

describe('chooseMapGrid', () => {
  it('makes a map pixel about the size of a scene pixel in Mercator metres', () => {
    // On the central meridian of UTM 10N at ~36.7° N: 10 m of grid is 10 / 0.9996 m of ground,
    // 1 / cos(lat) Mercator metres a ground metre on the sphere; EPSG:3857 puts ellipsoidal
    // latitudes on that sphere, which stretches it by another ~0.1 % here (hence 2 digits).
    const grid = { width: 500, height: 500, crs: crsFromEpsg(32610), transform: { originX: 497500, originY: 4064000, pixelWidth: 10, pixelHeight: -10 } };
    const [, lat] = toWgs84(grid.crs)(500000, 4061500);

    const map = chooseMapGrid(grid);

    expect(map.pixelSize / (10 / 0.9996 / Math.cos((lat * Math.PI) / 180))).toBeCloseTo(1, 2);
    expect(map.width).toBeGreaterThanOrEqual(500);
    expect(map.width).toBeLessThan(505);
  });

  it('covers the densified extent of the scene', () => {
    const grid = zoneEdgeGrid(1500, 1200);
    const [west, south, east, north] = wgs84Bounds(grid);

    const map = chooseMapGrid(grid);

    expect(map.boundsWgs84[0]).toBeCloseTo(west, 9);
    expect(map.boundsWgs84[3]).toBeCloseTo(north, 9);
    expect(map.boundsWgs84[2]).toBeGreaterThanOrEqual(east);
    expect(map.boundsWgs84[1]).toBeLessThanOrEqual(south);
  });

  it('gives lat/lng bounds that are exactly its Mercator bounds', () => {
    const map = chooseMapGrid(zoneEdgeGrid(800, 800));

    const [x0, y0] = wgs84ToMercator(map.boundsWgs84[0], map.boundsWgs84[1]);
    const [x1, y1] = wgs84ToMercator(map.boundsWgs84[2], map.boundsWgs84[3]);

    expect([x0, y0, x1, y1].map((v, i) => v - map.bounds[i]).every((d) => Math.abs(d) < 1e-6)).toBe(true);
    expect((x1 - x0) / map.pixelSize).toBeCloseTo(map.width, 6);
    expect((y1 - y0) / map.pixelSize).toBeCloseTo(map.height, 6);
  });

  it(`caps the longest side at ${MAX_MAP_SIDE} pixels`, () => {
    const map = chooseMapGrid(zoneEdgeGrid(30000, 20000));

    expect(Math.max(map.width, map.height)).toBeLessThanOrEqual(MAX_MAP_SIDE);
    expect(Math.max(map.width, map.height)).toBeGreaterThan(MAX_MAP_SIDE - 2 * map.layerScale);
    expect(map.maxSide).toBe(MAX_MAP_SIDE);
  });

  it('draws the layers of a full tile at half the kelp resolution, over the same bounds', () => {
    // Layers of a 10980 px tile are block-averaged by 6 (60 m); the kelp map is capped at ~28 m.
    const map = chooseMapGrid(zoneEdgeGrid(10980, 10980, 699960));

    const layers = layerMapGrid(map);

    expect(map.layerScale).toBe(2);
    expect([layers.width * 2, layers.height * 2]).toEqual([map.width, map.height]);
    expect(layers.boundsWgs84).toEqual(map.boundsWgs84);
    expect(Math.max(map.width, map.height)).toBeLessThanOrEqual(MAX_MAP_SIDE);
  });

  it('draws layers at the kelp resolution when the scene is small', () => {
    expect(chooseMapGrid(zoneEdgeGrid(2048, 2048)).layerScale).toBe(1);
  });

  it('takes a smaller cap when asked', () => {
    const map = chooseMapGrid(zoneEdgeGrid(10980, 10980), 1000);

    expect(Math.max(map.width, map.height)).toBeLessThanOrEqual(1000);
    expect(Math.max(map.width, map.height)).toBeGreaterThan(1000 - 2 * map.layerScale);
  });

  it('works on a lon/lat grid', () => {
    const map = chooseMapGrid(lonLatGrid(600, 600));

    expect(map.boundsWgs84[0]).toBeCloseTo(20, 9);
    expect(map.boundsWgs84[3]).toBeCloseTo(60.5, 9);
    // 0.0002° × 0.0001° at 60.47° N is about 0.0002 × 0.0001 / cos(60.47°) deg² in Mercator.
    expect(map.width * map.height).toBeGreaterThan(600 * 600 * 0.98);
    expect(map.width * map.height).toBeLessThan(600 * 600 * 1.02);
  });
});
