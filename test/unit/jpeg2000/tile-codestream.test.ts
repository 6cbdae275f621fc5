import { describe, expect, it } from 'vitest';
import type { MainHeader } from '../../../core/jpeg2000/codestream.js';
import { decodesAlone } from '../../../core/jpeg2000/tile-codestream.js';

/** A one-component header: an image of `size`² in tiles of `tile`², with the coding style given. */
function header(size: number, tile: number, levels: number, precinct: number, codeBlock = 6): MainHeader {
  const across = Math.ceil(size / tile);
  return {
    geometry: { capabilities: 0, x0: 0, y0: 0, x1: size, y1: size, tileWidth: tile, tileHeight: tile, tileX0: 0, tileY0: 0, tilesAcross: across, tilesDown: across, components: [{ bits: 15, signed: false, dx: 1, dy: 1 }] },
    coding: { levels, codeBlockX: codeBlock, codeBlockY: codeBlock, precincts: Array.from({ length: levels + 1 }, () => [precinct, precinct] as [number, number]) },
    segments: [],
    firstTilePart: 0,
    packedHeaders: false,
  };
}

/** Tile index of tile column `p`, row `q`. */
const at = (h: MainHeader, p: number, q: number) => q * h.geometry.tilesAcross + p;

describe('decodesAlone', () => {
  it.each([
    { name: 'Sentinel-2 10 m: 1024-pixel tiles, 5 levels, 256 precincts', h: header(10980, 1024, 5, 8), tiles: [[0, 0], [1, 0], [5, 7], [10, 10]], alone: true },
    { name: "GDAL's defaults: 1024-pixel tiles, 3 levels, 512 precincts", h: header(1100, 1024, 3, 9), tiles: [[0, 0], [1, 1]], alone: true },
    { name: '640-pixel tiles 8 tiles (5120 px) from the origin', h: header(5490, 640, 5, 15), tiles: [[0, 0], [8, 0], [8, 8]], alone: true },
    { name: '640-pixel tiles elsewhere (the code-block grid moves)', h: header(5490, 640, 5, 15), tiles: [[1, 0], [2, 0], [0, 3], [4, 4]], alone: false },
    { name: 'tiles not a multiple of 2^levels from the origin (the wavelet phase moves)', h: header(1000, 100, 3, 15), tiles: [[1, 0]], alone: false },
  ])('$name', ({ h, tiles, alone }) => {
    for (const [p, q] of tiles) expect(decodesAlone(h, at(h, p, q)), `tile ${p}, ${q}`).toBe(alone);
  });

  it('says no for a codestream whose packet headers are all in its main header (PPM)', () => {
    expect(decodesAlone({ ...header(1100, 1024, 3, 9), packedHeaders: true }, 0)).toBe(false);
  });
});
