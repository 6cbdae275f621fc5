import { fromArrayBuffer } from 'geotiff';
import type { GeoTIFFImage } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { ImageTooLargeError, InvalidRequestError } from '../../../core/errors.js';
import { compressDeflate } from '../../../core/raster/deflate.js';
import { TiffEncoder, encodeTiff } from '../../../core/raster/tiff-encoder.js';
import type { TiffSampleArray, TiffSampleType, TiffSpec } from '../../../core/raster/tiff-encoder.js';

const ARRAY_TYPES = { uint8: Uint8Array, uint16: Uint16Array, float32: Float32Array } as const;

/** The one raster builder of this file: band `band` of a deterministic pattern that differs per pixel. */
function makeBand(type: TiffSampleType, width: number, height: number, band = 0): TiffSampleArray {
  const values = new ARRAY_TYPES[type](width * height);
  for (let i = 0; i < values.length; i++) {
    const [x, y] = [i % width, Math.floor(i / width)];
    values[i] = type === 'float32' ? (x - y) * 0.25 + band * 1000.5 : (x * 7 + y * 13 + band * 31) % (type === 'uint8' ? 256 : 65536);
  }
  return values;
}

async function openImage(bytes: Uint8Array): Promise<GeoTIFFImage> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return (await fromArrayBuffer(buffer)).getImage();
}

async function readBands(image: GeoTIFFImage): Promise<TiffSampleArray[]> {
  return (await image.readRasters()) as unknown as TiffSampleArray[];
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, chunk) => n + chunk.length, 0));
  chunks.reduce((offset, chunk) => (out.set(chunk, offset), offset + chunk.length), 0);
  return out;
}

/** Tags of the first IFD, parsed by hand: `[tag, type, count, valueOrOffset]`. */
function parseIfd(bytes: Uint8Array): { ifdOffset: number; entries: number[][] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ifdOffset = view.getUint32(4, true);
  const count = view.getUint16(ifdOffset, true);
  const entries = Array.from({ length: count }, (_, i) => {
    const at = ifdOffset + 2 + i * 12;
    return [view.getUint16(at, true), view.getUint16(at + 2, true), view.getUint32(at + 4, true), view.getUint32(at + 8, true)];
  });
  return { ifdOffset, entries };
}

const UTM_29N = { transform: { originX: 500000, originY: 6000000, pixelWidth: 10, pixelHeight: -10 }, epsg: 32629 };

describe('encodeTiff round trip through geotiff.js', () => {
  const cases: [TiffSampleType, number, 'deflate' | 'none'][] = [
    ['uint8', 1, 'deflate'],
    ['uint8', 3, 'none'],
    ['uint16', 1, 'none'],
    ['uint16', 4, 'deflate'],
    ['float32', 1, 'deflate'],
    ['float32', 2, 'none'],
  ];
  it.each(cases)('keeps every %s sample of %i band(s) with %s compression and edge tiles', async (sampleType, bands, compression) => {
    const [width, height] = [70, 45]; // not multiples of the 32-pixel tile
    const data = Array.from({ length: bands }, (_, band) => makeBand(sampleType, width, height, band));

    const image = await openImage(await encodeTiff({ width, height, bands, sampleType, compression, tileSize: 32 }, data));

    expect([image.getWidth(), image.getHeight(), image.getSamplesPerPixel()]).toEqual([width, height, bands]);
    expect([image.getTileWidth(), image.getTileHeight()]).toEqual([32, 32]);
    expect(image.getFileDirectory().getValue('Compression')).toBe(compression === 'deflate' ? 8 : 1);
    expect(image.getFileDirectory().getValue('PlanarConfiguration')).toBe(2);
    const read = await readBands(image);
    read.forEach((band, i) => expect(band).toEqual(data[i]));
  });

  it('reads back a single tile smaller than the tile size', async () => {
    const data = makeBand('uint16', 5, 3);

    const image = await openImage(await encodeTiff({ width: 5, height: 3, bands: 1, sampleType: 'uint16' }, [data]));

    expect((await readBands(image))[0]).toEqual(data);
  });
});

describe('TiffEncoder', () => {
  it('accepts tiles in any order, full-size or clipped at the edges', async () => {
    const [width, height, tileSize] = [40, 20, 16];
    const data = makeBand('uint16', width, height);
    const encoder = new TiffEncoder({ width, height, bands: 1, sampleType: 'uint16', tileSize });
    const order: [number, number][] = [[2, 1], [0, 0], [1, 1], [2, 0], [0, 1], [1, 0]];

    for (const [col, row] of order) {
      const w = Math.min(tileSize, width - col * tileSize);
      const h = Math.min(tileSize, height - row * tileSize);
      const clipped = new Uint16Array(w * h).map((_, i) => data[(row * tileSize + Math.floor(i / w)) * width + col * tileSize + (i % w)]);
      const full = new Uint16Array(tileSize * tileSize);
      clipped.forEach((v, i) => (full[Math.floor(i / w) * tileSize + (i % w)] = v));
      await encoder.addTile(0, col, row, col === 2 ? clipped : full);
    }
    const image = await openImage(concat(encoder.finish()));

    expect((await readBands(image))[0]).toEqual(data);
  });

  it('pads the outside of edge tiles with nodata', async () => {
    const encoder = new TiffEncoder({ width: 20, height: 16, bands: 1, sampleType: 'uint8', tileSize: 16, compression: 'none', nodata: 255 });
    await encoder.addTileRow(0, 0, new Uint8Array(20 * 16).fill(1));

    const bytes = concat(encoder.finish());
    const image = await openImage(bytes);
    const offsets = (await image.getFileDirectory().loadValue('TileOffsets')) as ArrayLike<number>;
    const edgeTile = bytes.subarray(offsets[1], offsets[1] + 256);

    expect(Array.from(edgeTile.subarray(0, 16))).toEqual([1, 1, 1, 1, ...new Array(12).fill(255)]);
  });

  it('puts the IFD and all its values before the tile data, tags sorted ascending', async () => {
    const encoder = new TiffEncoder({ width: 40, height: 40, bands: 2, sampleType: 'uint8', tileSize: 16, georeference: UTM_29N, bandDescriptions: ['a', 'b'] });
    for (const band of [0, 1]) for (let row = 0; row < 3; row++) await encoder.addTileRow(band, row, makeBand('uint8', 40, Math.min(16, 40 - row * 16)));

    const chunks = encoder.finish();
    const bytes = concat(chunks);
    const { ifdOffset, entries } = parseIfd(bytes);
    const tileOffsets = await (await openImage(bytes)).getFileDirectory().loadValue('TileOffsets');

    expect(String.fromCharCode(bytes[0], bytes[1])).toBe('II');
    expect(ifdOffset).toBe(8);
    expect(entries.map(([tag]) => tag)).toEqual(entries.map(([tag]) => tag).sort((a, b) => a - b));
    expect(Math.min(...(tileOffsets as number[]))).toBe(chunks[0].length);
  });

  it('compresses each tile with the injected function', async () => {
    let calls = 0;
    const compress = async (data: Uint8Array) => (calls++, compressDeflate(data));

    await encodeTiff({ width: 33, height: 17, bands: 2, sampleType: 'uint8', tileSize: 16, compress }, [makeBand('uint8', 33, 17), makeBand('uint8', 33, 17)]);

    expect(calls).toBe(3 * 2 * 2);
  });

  it('refuses to finish while a tile is missing', async () => {
    const encoder = new TiffEncoder({ width: 32, height: 16, bands: 1, sampleType: 'uint8', tileSize: 16 });
    await encoder.addTile(0, 0, 0, new Uint8Array(256));

    expect(() => encoder.finish()).toThrow(InvalidRequestError);
    expect(() => encoder.finish()).toThrow(/tile \(1, 0\) of band 0 was never added/);
  });

  it('refuses the same tile twice', async () => {
    const encoder = new TiffEncoder({ width: 16, height: 16, bands: 1, sampleType: 'uint8', tileSize: 16 });
    await encoder.addTile(0, 0, 0, new Uint8Array(256));

    await expect(encoder.addTile(0, 0, 0, new Uint8Array(256))).rejects.toThrow(/already added/);
  });

  it.each([
    ['a tile of the wrong array type', (e: TiffEncoder) => e.addTile(0, 0, 0, new Uint8Array(256))],
    ['a tile of the wrong length', (e: TiffEncoder) => e.addTile(0, 0, 0, new Uint16Array(100))],
    ['a band out of range', (e: TiffEncoder) => e.addTile(1, 0, 0, new Uint16Array(256))],
    ['a tile column out of range', (e: TiffEncoder) => e.addTile(0, 2, 0, new Uint16Array(256))],
    ['a tile row of the wrong height', (e: TiffEncoder) => e.addTileRow(0, 0, new Uint16Array(20 * 15))],
  ])('rejects %s with InvalidRequestError', async (_, act) => {
    const encoder = new TiffEncoder({ width: 20, height: 16, bands: 1, sampleType: 'uint16', tileSize: 16 });

    await expect(act(encoder)).rejects.toThrow(InvalidRequestError);
  });

  it('throws ImageTooLargeError when the tiles add up past 4 GiB', async () => {
    const fakeHuge = async () => ({ length: 2 ** 31 }) as Uint8Array; // only the length is read
    const encoder = new TiffEncoder({ width: 32, height: 16, bands: 1, sampleType: 'uint8', tileSize: 16, compress: fakeHuge });
    await encoder.addTileRow(0, 0, new Uint8Array(32 * 16));

    expect(() => encoder.finish()).toThrow(ImageTooLargeError);
  });
});

describe('TiffEncoder spec validation', () => {
  const valid: TiffSpec = { width: 10, height: 10, bands: 1, sampleType: 'uint8' };
  it.each<[string, Partial<TiffSpec> | Record<string, unknown>]>([
    ['zero width', { width: 0 }],
    ['fractional height', { height: 2.5 }],
    ['zero bands', { bands: 0 }],
    ['an unknown sample type', { sampleType: 'int16' }],
    ['a tile size that is not a multiple of 16', { tileSize: 100 }],
    ['an unknown compression', { compression: 'lzw' }],
    ['nodata outside the sample type', { nodata: 256 }],
    ['too few band descriptions', { bands: 2, bandDescriptions: ['B04'] }],
    ['a non-finite scale', { bandScales: [NaN] }],
    ['a south-up transform', { georeference: { transform: { originX: 0, originY: 0, pixelWidth: 10, pixelHeight: 10 }, epsg: 32629 } }],
    ['a fractional EPSG code', { georeference: { ...UTM_29N, epsg: 326.29 } }],
    ['an uncompressed file over 4 GiB', { width: 40000, height: 40000, sampleType: 'float32', compression: 'none' }],
  ])('rejects %s with InvalidRequestError', (_, change) => {
    expect(() => new TiffEncoder({ ...valid, ...change } as TiffSpec)).toThrow(InvalidRequestError);
  });

  it('rejects a band count that does not match the arrays given', async () => {
    await expect(encodeTiff({ ...valid, bands: 2 }, [new Uint8Array(100)])).rejects.toThrow(InvalidRequestError);
  });
});

describe('GeoTIFF and GDAL tags', () => {
  it('writes a projected georeference geotiff.js reads back', async () => {
    const image = await openImage(await encodeTiff({ width: 3, height: 2, bands: 1, sampleType: 'uint8', georeference: UTM_29N }, [new Uint8Array(6)]));

    expect(image.getOrigin()).toEqual([500000, 6000000, 0]);
    expect(image.getResolution()).toEqual([10, -10, 0]);
    expect(image.getGeoKeys()).toMatchObject({ GTModelTypeGeoKey: 1, GTRasterTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32629 });
  });

  it('writes EPSG:4326 as a geographic CRS', async () => {
    const georeference = { transform: { originX: -9.5, originY: 54.25, pixelWidth: 0.0001, pixelHeight: -0.0001 }, epsg: 4326 };

    const image = await openImage(await encodeTiff({ width: 3, height: 2, bands: 1, sampleType: 'uint8', georeference }, [new Uint8Array(6)]));

    expect(image.getOrigin()).toEqual([-9.5, 54.25, 0]);
    expect(image.getResolution()).toEqual([0.0001, -0.0001, 0]);
    expect(image.getGeoKeys()).toMatchObject({ GTModelTypeGeoKey: 2, GeographicTypeGeoKey: 4326 });
  });

  it('writes band descriptions, scales and offsets as per-band GDAL metadata', async () => {
    const spec: TiffSpec = {
      width: 4, height: 4, bands: 2, sampleType: 'uint16',
      bandDescriptions: ['B04', 'B08'], bandScales: [0.0001, 0.0002], bandOffsets: [-0.1, 0],
      metadata: { PROCESSING_BASELINE: '05.00' },
    };

    const image = await openImage(await encodeTiff(spec, [makeBand('uint16', 4, 4), makeBand('uint16', 4, 4, 1)]));

    expect(await image.getGDALMetadata(0)).toEqual({ DESCRIPTION: 'B04', SCALE: '0.0001', OFFSET: '-0.1' });
    expect(await image.getGDALMetadata(1)).toEqual({ DESCRIPTION: 'B08', SCALE: '0.0002', OFFSET: '0' });
    expect(await image.getGDALMetadata()).toEqual({ PROCESSING_BASELINE: '05.00' });
  });

  it.each<[TiffSampleType, number]>([
    ['uint8', 255],
    ['uint16', 0],
    ['float32', -9999.5],
    ['float32', NaN],
  ])('writes %s nodata %d as GDAL_NODATA', async (sampleType, nodata) => {
    const image = await openImage(await encodeTiff({ width: 2, height: 2, bands: 1, sampleType, nodata }, [new ARRAY_TYPES[sampleType](4)]));

    expect(image.getGDALNoData()).toEqual(nodata);
  });

  it('omits GDAL tags that have nothing to say', async () => {
    const image = await openImage(await encodeTiff({ width: 2, height: 2, bands: 1, sampleType: 'uint8' }, [new Uint8Array(4)]));

    expect(await image.getGDALMetadata()).toBeNull();
    expect(image.getGDALNoData()).toBeNull();
  });
});
