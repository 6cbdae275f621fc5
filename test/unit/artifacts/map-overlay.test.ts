import { describe, expect, it } from 'vitest';
import { chooseMapGrid, layerMapGrid } from '../../../core/artifacts/map-grid.js';
import { MAP_ARTIFACT_TYPES, MAP_KELP_RGBA, describeMap, renderMapArtifacts } from '../../../core/artifacts/map-overlay.js';
import { createMapTransform } from '../../../core/artifacts/map-transform.js';
import { LayerAccumulator, renderOverlay } from '../../../core/analysis/layers.js';
import { PIXEL } from '../../../core/analysis/masks.js';
import type { LayerName } from '../../../core/analysis/options.js';
import { MASK } from '../../../core/analysis/mask-values.js';
import type { SceneScan } from '../../../core/analysis/scan.js';
import { fromWgs84, mercatorToWgs84, wgs84Bounds, wgs84ToMercator } from '../../../core/raster/crs.js';
import type { Grid } from '../../../core/raster/grid.js';
import { SPECTRA, bandsOf } from '../../helpers/bands.js';
import { lonLatGrid, zoneEdgeGrid } from './map-scenes.js';
import { readPng } from './read-png.js';

/** The parts of a scan the map reads: the window, its kelp mask and optional layers. */
function scanOf(grid: Grid, mask: Uint8Array, layers?: LayerAccumulator): SceneScan {
  return { window: { x0: 0, y0: 0, width: grid.width, height: grid.height }, mask, layers } as SceneScan;
}

/** RGBA of map pixel `(x, y)`. */
function pixel(image: { width: number; rgba: Uint8Array }, x: number, y: number): number[] {
  return Array.from(image.rgba.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 4));
}

/**
 * A lon/lat near `(lon, lat)` that is the centre of a map pixel, and that pixel. Nearest
 * neighbour samples the scene at map pixel centres, so a one-pixel bed at this point must show
 * in exactly this map pixel, whatever the rotation between the grids.
 */
function mapPixelCentreNear(grid: Grid, lon: number, lat: number) {
  const map = chooseMapGrid(grid);
  const [mx, my] = wgs84ToMercator(lon, lat);
  const x = Math.floor((mx - map.bounds[0]) / map.pixelSize);
  const y = Math.floor((map.bounds[3] - my) / map.pixelSize);
  const centre = mercatorToWgs84(map.bounds[0] + (x + 0.5) * map.pixelSize, map.bounds[3] - (y + 0.5) * map.pixelSize);
  return { map, x, y, centre };
}

/** The scene pixel `(col, row)` containing `(lon, lat)`, exactly (proj4), with its fractional part. */
function scenePixelAt(grid: Grid, lon: number, lat: number) {
  const [sx, sy] = fromWgs84(grid.crs)(lon, lat);
  const col = (sx - grid.transform.originX) / grid.transform.pixelWidth;
  const row = (sy - grid.transform.originY) / grid.transform.pixelHeight;
  return { col: Math.floor(col), row: Math.floor(row), fraction: [col % 1, row % 1] };
}

async function kelpMapOf(grid: Grid, mask: Uint8Array) {
  const artifacts = await renderMapArtifacts(scanOf(grid, mask), grid);
  return readPng(artifacts.find((a) => a.name === 'map/kelp.png')!.bytes);
}

/** Kelp map pixels as `[x, y]`. */
function kelpPixels(image: { width: number; height: number; rgba: Uint8Array }): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  for (let i = 0; i < image.width * image.height; i++) if (image.rgba[i * 4 + 3] > 0) found.push([i % image.width, Math.floor(i / image.width)]);
  return found;
}

describe.each([
  { name: 'a UTM scene past its zone edge', grid: zoneEdgeGrid(1500, 1500), lon: 20.45, lat: 60.25 },
  { name: 'a lon/lat (EPSG:4326) scene', grid: lonLatGrid(600, 600), lon: 20.071, lat: 60.47 },
])('renderMapArtifacts on $name', ({ grid, lon, lat }) => {
  it('puts a one-pixel bed in the map pixel that contains its lon/lat', async () => {
    const { map, x, y, centre } = mapPixelCentreNear(grid, lon, lat);
    const scene = scenePixelAt(grid, ...centre);
    expect(scene.fraction.every((f) => f > 0.01 && f < 0.99), 'the point is not on a scene pixel edge').toBe(true);
    expect(scene.col >= 0 && scene.col < grid.width && scene.row >= 0 && scene.row < grid.height, 'the point is in the scene').toBe(true);
    const mask = new Uint8Array(grid.width * grid.height);
    mask[scene.row * grid.width + scene.col] = MASK.kelp;

    const image = await kelpMapOf(grid, mask);

    expect([image.width, image.height]).toEqual([map.width, map.height]);
    expect(pixel(image, x, y)).toEqual([...MAP_KELP_RGBA]);
    for (const [kx, ky] of kelpPixels(image)) expect(Math.max(Math.abs(kx - x), Math.abs(ky - y))).toBeLessThanOrEqual(1);
  });

  it('leaves pixels outside the scene transparent', async () => {
    const mask = new Uint8Array(grid.width * grid.height).fill(MASK.kelp);
    const map = chooseMapGrid(grid);
    const transform = createMapTransform(grid, map);

    const image = await kelpMapOf(grid, mask);

    let outside = 0;
    for (let y = 0; y < map.height; y += 9) {
      for (let x = 0; x < map.width; x += 9) {
        const [col, row] = transform.exact(x, y);
        const inside = Math.min(col, row, grid.width - col, grid.height - row);
        if (Math.abs(inside) < 0.01) continue; // on the scene's edge: either answer is right
        if (inside < 0) outside++;
        expect(pixel(image, x, y)[3], `map pixel (${x}, ${y})`).toBe(inside > 0 ? 255 : 0);
      }
    }
    expect(outside).toBeGreaterThan(grid.crs.kind === 'projected' ? 100 : -1);
  });
});

describe('renderMapArtifacts', () => {
  it('would be over ten pixels off if the UTM overlay were stretched over its lat/lng box', () => {
    const grid = zoneEdgeGrid(1500, 1500);
    const { map, x, y, centre } = mapPixelCentreNear(grid, 20.45, 60.25);
    const scene = scenePixelAt(grid, ...centre);
    expect(scene.col >= 0 && scene.col < grid.width && scene.row >= 0 && scene.row < grid.height, 'the point is in the scene').toBe(true);
    const [west, south, east, north] = wgs84Bounds(grid);
    const [x0, y0] = wgs84ToMercator(west, north);
    const [x1, y1] = wgs84ToMercator(east, south);

    const naiveX = (x0 + ((scene.col + 0.5) / grid.width) * (x1 - x0) - map.bounds[0]) / map.pixelSize;
    const naiveY = (map.bounds[3] - (y0 + ((scene.row + 0.5) / grid.height) * (y1 - y0))) / map.pixelSize;

    expect(Math.hypot(naiveX - x, naiveY - y)).toBeGreaterThan(10);
  });

  it('draws each layer over the same bounds, at the resolution of the downsampled layer', async () => {
    // 2100 columns: layers are block-averaged by 2 (MAX_LAYER_SIDE 2048); soil west, water east.
    const grid = zoneEdgeGrid(2100, 40);
    const spectra = Array.from({ length: grid.width * grid.height }, (_, i) => (i % grid.width < 1050 ? SPECTRA.soil : SPECTRA.water));
    const layers = new LayerAccumulator(['rgb', 'ndvi'] satisfies LayerName[], grid.width, grid.height);
    layers.add(0, grid.height, bandsOf(spectra), new Map(), new Uint8Array(spectra.length).fill(PIXEL.water));
    const map = chooseMapGrid(grid);
    const layerMap = layerMapGrid(map);
    const transform = createMapTransform(grid, layerMap);

    const artifacts = await renderMapArtifacts(scanOf(grid, new Uint8Array(spectra.length), layers), grid);

    expect(artifacts.map((a) => a.name)).toEqual(['map/kelp.png', 'map/rgb.png', 'map/ndvi.png']);
    const rgb = readPng(artifacts[1].bytes);
    expect(map.layerScale).toBe(2);
    expect([rgb.width * 2, rgb.height * 2]).toEqual([map.width, map.height]);
    expect(layerMap.bounds).toEqual(map.bounds);
    const source = layers.render('rgb');
    const [cols, rows] = [new Float64Array(rgb.width), new Float64Array(rgb.width)];
    const y = Math.floor(rgb.height / 2);
    transform.positionsRow(y, cols, rows);
    let drawn = 0;
    for (let x = 0; x < rgb.width; x++) {
      const [col, row] = [cols[x], rows[x]];
      if (!(col >= 0 && col < grid.width && row >= 0 && row < grid.height)) continue;
      const s = (Math.floor(row / 2) * layers.size.width + Math.floor(col / 2)) * 4;
      expect(pixel(rgb, x, y)).toEqual(Array.from(source.subarray(s, s + 4)));
      drawn++;
    }
    expect(drawn).toBeGreaterThan(100); // a thin strip, rotated ~4.5°: a map row crosses part of it
  });

  it('draws kelp in the colour overlay.png gives a block that is all kelp', () => {
    const overlay = renderOverlay(Uint8Array.of(MASK.kelp), 1, 1);

    expect(Array.from(overlay.rgba)).toEqual([...MAP_KELP_RGBA]);
  });

  it('renders a one-pixel scene', async () => {
    const grid = zoneEdgeGrid(1, 1);

    const image = await kelpMapOf(grid, Uint8Array.of(MASK.kelp));

    expect(kelpPixels(image).length).toBeGreaterThan(0);
  });
});

describe('describeMap', () => {
  it('records the grid the images were drawn on and the layers written', async () => {
    const grid = zoneEdgeGrid(300, 200);
    const artifacts = await renderMapArtifacts(scanOf(grid, new Uint8Array(300 * 200)), grid);
    const png = readPng(artifacts[0].bytes);

    const map = describeMap(grid, [...artifacts, { name: 'map/fai.png' }, { name: 'layers/rgb.png' }]);

    expect(map).toMatchObject({ crs: 'EPSG:3857', width: png.width, height: png.height, kelp: 'map/kelp.png', layers: { fai: 'map/fai.png' }, maxSide: 4096 });
    expect([map.layerWidth, map.layerHeight]).toEqual([png.width, png.height]);
    expect(Object.keys(map.layers)).toEqual(['fai']);
  });
});

describe('MAP_ARTIFACT_TYPES', () => {
  it('names the kelp map and every layer as PNG', () => {
    expect(MAP_ARTIFACT_TYPES).toEqual({
      'map/kelp.png': 'image/png',
      'map/rgb.png': 'image/png',
      'map/false-color.png': 'image/png',
      'map/ndvi.png': 'image/png',
      'map/fai.png': 'image/png',
      'map/kd.png': 'image/png',
    });
  });
});
