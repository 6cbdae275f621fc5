/**
 * JPEG 2000 band files as GDAL's JP2OpenJPEG driver writes them (the reference encoder, as the
 * Sentinel-2 ground segment uses OpenJPEG-compatible JP2), read by our codestream reader and
 * decoded by the WebAssembly OpenJPEG: tile by tile where tiles decode alone, whole otherwise,
 * always to GDAL's own values; and every kind of damage a typed error before anything large.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOpenJpegDecoder } from '../../adapters/jpeg2000/openjpeg-decoder.js';
import { readInstalledOpenJpegWasm } from '../../adapters/jpeg2000/openjpeg-wasm.js';
import { tileArea } from '../../core/jpeg2000/codestream.js';
import { decodeTile, decodeWhole } from '../../core/jpeg2000/decode-tile.js';
import { type Jp2Blocks, Jp2BandReader } from '../../core/jpeg2000/jp2-band-reader.js';
import { openJp2 } from '../../core/jpeg2000/open-jp2.js';
import { memoryByteSource } from '../../core/raster/byte-source.js';
import { encodeTiff } from '../../core/raster/tiff-encoder.js';
import { LOSSLESS_JP2, runGdal } from '../helpers/gdal.js';
import { TEST_GEOREFERENCE } from '../helpers/tiff.js';

const WIDTH = 1100;
const HEIGHT = 900;
/** A band of 15-bit reflectance-like DNs with a nodata (0) corner: `width × height`, row-major. */
const band = Uint16Array.from({ length: WIDTH * HEIGHT }, (_, i) => {
  const x = i % WIDTH;
  const y = Math.floor(i / WIDTH);
  return x + y < 60 ? 0 : 1000 + ((x * 37 + y * 91 + ((x * y) % 97) * 13) % 9000);
});

let dir = '';
const decoder = createOpenJpegDecoder(readInstalledOpenJpegWasm);

/** Writes `band` as a JP2 with `options` (gdal_translate creation options) and returns its bytes. */
function jp2(name: string, options: string[] = []): Uint8Array {
  runGdal('gdal_translate', ['-q', ...LOSSLESS_JP2, ...options, join(dir, 'band.tif'), join(dir, name)]);
  return new Uint8Array(readFileSync(join(dir, name)));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kelpie-jp2-'));
  writeFileSync(join(dir, 'band.tif'), await encodeTiff({ width: WIDTH, height: HEIGHT, bands: 1, sampleType: 'uint16', georeference: TEST_GEOREFERENCE, nodata: 0 }, [band]));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('decoding JPEG 2000 band files', () => {
  it.each([
    { name: "GDAL's defaults (1024-pixel tiles)", options: [], byTile: true },
    { name: '256-pixel tiles, 5 levels', options: ['-co', 'BLOCKXSIZE=256', '-co', 'BLOCKYSIZE=256', '-co', 'RESOLUTIONS=6'], byTile: true },
    { name: '512-pixel tiles with 256 precincts, as Sentinel-2 codes them', options: ['-co', 'BLOCKXSIZE=512', '-co', 'BLOCKYSIZE=512', '-co', 'RESOLUTIONS=5', '-co', 'PRECINCTS={256,256},{256,256},{256,256},{256,256},{256,256}'], byTile: true },
    { name: '640-pixel tiles (decoded whole)', options: ['-co', 'BLOCKXSIZE=640', '-co', 'BLOCKYSIZE=640'], byTile: false },
  ])('gives the very values GDAL wrote: $name', async ({ name, options, byTile }) => {
    const image = await openJp2(memoryByteSource(`${name}.jp2`, jp2('test.jp2', options)));
    expect(image.decodeByTile).toBe(byTile);
    if (!byTile) {
      expect(await decodeWhole(image, decoder)).toEqual(band);
      return;
    }
    for (let index = 0; index < image.tiles.length; index++) {
      const area = tileArea(image.header.geometry, index);
      const samples = await decodeTile(image, index, decoder);
      const width = area.x1 - area.x0;
      for (let y = area.y0; y < area.y1; y++) {
        expect(samples.subarray((y - area.y0) * width, (y - area.y0 + 1) * width)).toEqual(band.subarray(y * WIDTH + area.x0, y * WIDTH + area.x1));
      }
    }
  });

  /** Native pixel (x, y) of decoded blocks. */
  const valueAt = (blocks: Jp2Blocks, x: number, y: number) => {
    const i = Math.floor((y - blocks.y0) / blocks.blockHeight);
    const j = Math.floor((x - blocks.x0) / blocks.blockWidth);
    return blocks.blocks[i * blocks.across + j][(y - blocks.y0 - i * blocks.blockHeight) * blocks.blockWidth + (x - blocks.x0 - j * blocks.blockWidth)];
  };

  it.each([
    { name: 'by tile', options: ['-co', 'BLOCKXSIZE=256', '-co', 'BLOCKYSIZE=256'] },
    { name: 'whole', options: ['-co', 'BLOCKXSIZE=640', '-co', 'BLOCKYSIZE=640'] },
  ])('reads rows and columns across tiles ($name), decoding each tile once for the strips under it', async ({ options }) => {
    const image = await openJp2(memoryByteSource('B04.jp2', jp2('rows.jp2', options)));
    const counting = { decode: vi.fn(decoder.decode) };
    const reader = new Jp2BandReader(image, counting);
    for (const [y0, y1, x0, x1] of [[0, 100, 0, WIDTH], [100, 256, 0, WIDTH], [300, 700, 250, 1090], [850, 900, 1000, 1100]]) {
      const blocks = await reader.readRows(y0, y1, undefined, { x0, x1 });
      for (let y = y0; y < y1; y += 7) for (let x = x0; x < x1; x += 5) expect(valueAt(blocks, x, y), `${x}, ${y}`).toBe(band[y * WIDTH + x]);
    }
    // By tile (256 px): the first row of 5 tiles for the first two reads, then 2 rows × 5 columns, then 1 row × 2; whole: one decode.
    expect(counting.decode).toHaveBeenCalledTimes(image.decodeByTile ? 5 + 10 + 2 : 1);
  });

  it.each([
    { box: 'GeoJP2', options: ['-co', 'GMLJP2=NO'] },
    { box: 'GMLJP2', options: ['-co', 'GeoJP2=NO'] },
  ])('reads the georeference from a $box box', async ({ options }) => {
    const image = await openJp2(memoryByteSource('B04.jp2', jp2('georef.jp2', options)));
    expect(image.grid).toEqual({ width: WIDTH, height: HEIGHT, transform: TEST_GEOREFERENCE.transform, crs: expect.objectContaining({ epsg: TEST_GEOREFERENCE.epsg }) });
  });

  it('prints nothing while decoding (OpenJPEG logs [INFO] lines unless its print hooks are replaced)', async () => {
    const image = await openJp2(memoryByteSource('B04.jp2', jp2('quiet.jp2')));
    const log = vi.spyOn(console, 'log');
    const error = vi.spyOn(console, 'error');
    const stdout = vi.spyOn(process.stdout, 'write');
    try {
      await decodeTile(image, 0, createOpenJpegDecoder(readInstalledOpenJpegWasm));
      expect([...log.mock.calls, ...error.mock.calls, ...stdout.mock.calls]).toEqual([]);
    } finally {
      vi.restoreAllMocks();
    }
  });
});

describe('damaged and hostile JPEG 2000 files fail with typed errors before anything is decoded', () => {
  /** Offset of the SIZ segment's body (after its marker and length) in a GDAL JP2 file. */
  const sizBody = (bytes: Uint8Array) => {
    for (let i = 0; i < bytes.byteLength - 4; i++) if (bytes[i] === 0xff && bytes[i + 1] === 0x4f && bytes[i + 2] === 0xff && bytes[i + 3] === 0x51) return i + 6;
    throw new Error('no SIZ');
  };

  it('a file cut short is truncated', async () => {
    const bytes = jp2('cut.jp2');
    await expect(openJp2(memoryByteSource('B04.jp2', bytes.subarray(0, bytes.byteLength - 5000)))).rejects.toMatchObject({ code: 'CORRUPT_IMAGE', message: expect.stringContaining('truncated') });
  });

  it('a header declaring a huge image that the file does not hold is damaged, not decoded', async () => {
    const bytes = jp2('huge.jp2').slice();
    const view = new DataView(bytes.buffer);
    const siz = sizBody(bytes);
    view.setUint32(siz + 2, 200_000); // Xsiz
    view.setUint32(siz + 6, 200_000); // Ysiz
    for (let i = 0; i < bytes.byteLength - 8; i++) {
      // ihdr: height and width
      if (String.fromCharCode(...bytes.subarray(i + 4, i + 8)) === 'ihdr') {
        view.setUint32(i + 8, 200_000);
        view.setUint32(i + 12, 200_000);
        break;
      }
    }
    // 196 × 223 tiles of 1024 × 900 declared, 2 held: refused from the headers and two tile-part headers, as damaged, whatever the pixel limit.
    await expect(openJp2(memoryByteSource('B04.jp2', bytes), { maxPixels: 130_000_000 })).rejects.toMatchObject({
      code: 'CORRUPT_IMAGE',
      message: 'B04.jp2 is damaged or truncated: its header declares 43708 tiles of 1024 × 900 pixels but 43706 of them are missing',
    });
  });

  it('an image over the pixel limit is refused from its header', async () => {
    await expect(openJp2(memoryByteSource('B04.jp2', jp2('limit.jp2')), { maxPixels: 500_000 })).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE' });
  });

  it('a JP2 header box that disagrees with its codestream is damaged', async () => {
    const bytes = jp2('disagree.jp2').slice();
    const at = bytes.findIndex((_, i) => String.fromCharCode(...bytes.subarray(i, i + 4)) === 'ihdr');
    new DataView(bytes.buffer).setUint32(at + 4, 2 * HEIGHT);
    await expect(openJp2(memoryByteSource('B04.jp2', bytes))).rejects.toMatchObject({ code: 'CORRUPT_IMAGE', message: expect.stringContaining('JP2 header declares') });
  });

  it('tile data overwritten where tile-parts should start is damaged', async () => {
    const bytes = jp2('garbled.jp2').slice();
    const image = await openJp2(memoryByteSource('B04.jp2', bytes));
    bytes.fill(0x5a, image.tiles[1][0].offset - 10, image.tiles[1][0].offset + 100);
    await expect(openJp2(memoryByteSource('B04.jp2', bytes))).rejects.toMatchObject({ code: 'CORRUPT_IMAGE' });
  });

  it('a tile whose coded data the decoder rejects fails that tile with CORRUPT_IMAGE', async () => {
    const bytes = jp2('broken.jp2').slice();
    const part = (await openJp2(memoryByteSource('B04.jp2', bytes))).tiles[0][0];
    bytes.fill(0x11, part.offset + 12, part.offset + 14); // SOD marker
    const image = await openJp2(memoryByteSource('B04.jp2', bytes));
    await expect(decodeTile(image, 0, decoder)).rejects.toMatchObject({ code: 'CORRUPT_IMAGE', message: expect.stringContaining('(tile 0) could not be decoded') });
  });

  it('a colour composite (TCI) is not a band file', async () => {
    runGdal('gdal_translate', ['-q', '-of', 'GTiff', '-b', '1', '-b', '1', '-b', '1', join(dir, 'band.tif'), join(dir, 'rgb.tif')]);
    runGdal('gdal_translate', ['-q', ...LOSSLESS_JP2, join(dir, 'rgb.tif'), join(dir, 'rgb.jp2')]);
    await expect(openJp2(memoryByteSource('TCI.jp2', new Uint8Array(readFileSync(join(dir, 'rgb.jp2')))))).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT', message: expect.stringContaining('TCI') });
  });
});
