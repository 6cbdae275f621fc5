import { describe, expect, it } from 'vitest';
import { buildBasemapData } from '../../../scripts/basemap-data.mjs';
import { type LatLngs, decodeBasemap, decodeLine } from '../../../web/basemap-data.js';

/** Ray casting: is `[lat, lng]` inside the ring? */
function inside([lat, lng]: [number, number], ring: LatLngs): boolean {
  let hit = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [yi, xi] = ring[i];
    const [yj, xj] = ring[j];
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

describe('the offline basemap (Natural Earth, converted at build time)', () => {
  it('decodes delta-encoded rings on the grid', () => {
    expect(decodeLine([10, 20, 1, -2, 3, 0], [0.5, 0.25], [-180, -90])).toEqual([
      [-85, -175],
      [-85.5, -174.5],
      [-85.5, -173],
    ]);
    expect(() => decodeBasemap({ polygons: [] })).toThrow(/not in the expected form/);
  });

  it('puts the Monterey Peninsula on land and the sample’s sea offshore, and never draws a line across the world', async () => {
    const { land, borders, source } = decodeBasemap(JSON.parse(await buildBasemapData()));
    expect(source).toMatch(/Natural Earth/);
    const onLand = (point: [number, number]) => land.some((polygon) => inside(point, polygon[0]) && !polygon.slice(1).some((hole) => inside(point, hole)));
    expect(onLand([36.6, -121.85])).toBe(true); // Monterey
    expect(onLand([36.65, -122.3])).toBe(false); // off the sample, in the Pacific
    expect(onLand([48.85, 2.35])).toBe(true); // Paris
    expect(borders.length).toBeGreaterThan(100);
    const longest = Math.max(...[...land.flat(), ...borders].flatMap((line) => line.slice(1).map(([, lng], i) => Math.abs(lng - line[i][1]))));
    expect(longest).toBeLessThan(180);
  });
});
