import { describe, expect, it } from 'vitest';
import { imageArtifact, usableMapImages } from '../../../web/artifacts.js';
import type { MapImages } from '../../../web/types.js';

const MAP: MapImages = {
  crs: 'EPSG:3857',
  boundsWgs84: [-122, 36.5, -121.9, 36.6],
  width: 512,
  height: 640,
  kelp: 'map/kelp.png',
  layers: { rgb: 'map/rgb.png', 'false-color': 'map/false-color.png' },
};

describe('which artifact names of a result the page fetches', () => {
  it.each(['map/kelp.png', 'map/false-color.png', 'layers/ndvi.png'])('takes %s', (name) => expect(imageArtifact(name)).toBe(name));

  it.each([
    '../../other-analysis/result.json',
    'map/../../x.png',
    'map/kelp.png?x=1',
    'map/kelp.png#',
    '/api/analyses',
    'https://evil.example/x.png',
    'map/Kelp.png',
    'map/kelp.tif',
    'beds.geojson',
    'map/sub/kelp.png',
    'map/kelp.png\n',
    '',
    42,
    undefined,
  ])('refuses %j', (name) => expect(imageArtifact(name)).toBeUndefined());

  it('takes well-formed map images as they are', () => {
    expect(usableMapImages(MAP)).toEqual({ boundsWgs84: MAP.boundsWgs84, kelp: 'map/kelp.png', layers: MAP.layers });
  });

  it('falls back (undefined) when the kelp image or the box is not one it accepts', () => {
    expect(usableMapImages(undefined)).toBeUndefined();
    expect(usableMapImages({ ...MAP, kelp: '../../secrets/kelp.png' })).toBeUndefined();
    expect(usableMapImages({ ...MAP, boundsWgs84: [-122, 36.5, -121.9] as never })).toBeUndefined();
    expect(usableMapImages({ ...MAP, boundsWgs84: [-122, 36.5, -121.9, Number.NaN] })).toBeUndefined();
  });

  it('leaves out layers with names it does not accept, and layers it does not know', () => {
    const layers = { rgb: 'map/rgb.png', ndvi: 'map/ndvi.png?download=1', kd: '../kd.png', sepia: 'map/sepia.png' } as MapImages['layers'];
    expect(usableMapImages({ ...MAP, layers })?.layers).toEqual({ rgb: 'map/rgb.png' });
    expect(usableMapImages({ ...MAP, layers: undefined as never })?.layers).toEqual({});
  });
});
