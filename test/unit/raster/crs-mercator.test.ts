import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { mercatorToWgs84, wgs84ToMercator } from '../../../core/raster/crs.js';

/** Half the side of the EPSG:3857 square world, m (Leaflet, OpenLayers and EPSG agree). */
const HALF_WORLD = 20037508.342789244;

describe('wgs84ToMercator', () => {
  it('puts the antimeridian and the latitude limit on the edges of the square world', () => {
    const [x] = wgs84ToMercator(180, 0);
    const [, y] = wgs84ToMercator(0, 85.0511287798);

    expect(x).toBeCloseTo(HALF_WORLD, 6);
    expect(y).toBeCloseTo(HALF_WORLD, 2);
  });

  it('agrees with proj4 EPSG:3857 to a millimetre', () => {
    const points: Array<[number, number]> = [[-122.3, 36.6], [20.5, 60.35], [151.2, -33.9], [0, 0]];

    for (const [lon, lat] of points) {
      const [x, y] = proj4('EPSG:4326', 'EPSG:3857', [lon, lat]);
      const [ours, oursY] = wgs84ToMercator(lon, lat);
      expect(Math.abs(ours - x)).toBeLessThan(1e-3);
      expect(Math.abs(oursY - y)).toBeLessThan(1e-3);
    }
  });

  it('is undone by mercatorToWgs84', () => {
    const [lon, lat] = mercatorToWgs84(...wgs84ToMercator(-61.25, -52.8));

    expect(lon).toBeCloseTo(-61.25, 10);
    expect(lat).toBeCloseTo(-52.8, 10);
  });
});
