/**
 * A small tiled GeoTIFF writer (classic little-endian TIFF, band-separate tiles, deflate or none)
 * for the kelp mask, synthetic test scenes and truth rasters. Tiles are compressed as they are
 * added, so only compressed bytes stay in memory; the header goes first (COG-style).
 */
import { ImageTooLargeError, InvalidRequestError } from '../errors.js';
import { MAX_CLASSIC_TIFF_BYTES, SAMPLE_TYPES, resolveTiffSpec } from './tiff-spec.js';
import type { ResolvedTiffSpec, TiffSampleArray, TiffSpec } from './tiff-spec.js';
import { TIFF_HEADER_BYTES, buildTiffFields, measureIfd, writeHeaderAndIfd } from './tiff-tags.js';
import { concatBytes } from '../bytes.js';

export type { TiffSampleArray, TiffSampleType, TiffSpec } from './tiff-spec.js';

/** Tile states: not added, being compressed, stored. */
const EMPTY = 0;
const PENDING = 1;
const STORED = 2;

/** True on little-endian hosts, where typed-array bytes can be written as they are. */
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Writes a tiled GeoTIFF tile by tile. Call `addTile`/`addTileRow` for every tile of every band
 * (any order, concurrently if you like), then `finish()` for the file's chunks.
 *
 * @example
 * ```ts
 * const encoder = new TiffEncoder({ width, height, bands: 1, sampleType: 'uint8', nodata: 255 });
 * for (let row = 0; row < encoder.tilesDown; row++) await encoder.addTileRow(0, row, maskRows(row));
 * const chunks = encoder.finish(); // write in order
 * ```
 */
export class TiffEncoder {
  readonly tilesAcross: number;
  readonly tilesDown: number;
  readonly tileSize: number;
  readonly #spec: ResolvedTiffSpec;
  readonly #tiles: (Uint8Array | undefined)[];
  readonly #state: Uint8Array;
  readonly #padValue: number;

  /** Validates `spec`; throws `InvalidRequestError` naming the bad field. */
  constructor(spec: TiffSpec) {
    this.#spec = resolveTiffSpec(spec);
    this.tileSize = this.#spec.tileSize;
    this.tilesAcross = Math.ceil(spec.width / this.tileSize);
    this.tilesDown = Math.ceil(spec.height / this.tileSize);
    const count = this.tilesAcross * this.tilesDown * spec.bands;
    this.#tiles = new Array<Uint8Array | undefined>(count);
    this.#state = new Uint8Array(count);
    this.#padValue = spec.nodata ?? 0;
  }

  /**
   * Adds one tile of one band. `data` is row-major and either `tileSize * tileSize` samples, or,
   * for a tile on the right or bottom edge, exactly the part inside the image
   * (`min(tileSize, width - col * tileSize)` wide), which is then padded with nodata (or 0).
   * Do not change `data` until the promise settles. Adding the same tile twice throws.
   */
  async addTile(band: number, tileCol: number, tileRow: number, data: TiffSampleArray): Promise<void> {
    const { bands, sampleType } = this.#spec;
    checkIndex('band', band, bands);
    checkIndex('tileCol', tileCol, this.tilesAcross);
    checkIndex('tileRow', tileRow, this.tilesDown);
    const { ArrayType } = SAMPLE_TYPES[sampleType];
    if (!(data instanceof ArrayType)) {
      throw new InvalidRequestError(`tile data must be a ${ArrayType.name} for sampleType ${sampleType}`);
    }
    const index = (band * this.tilesDown + tileRow) * this.tilesAcross + tileCol;
    if (this.#state[index] !== EMPTY) {
      throw new InvalidRequestError(`tile (${tileCol}, ${tileRow}) of band ${band} was already added`);
    }
    const full = this.tileSize * this.tileSize;
    const [validWidth, validHeight] = this.#validSize(tileCol, tileRow);
    let samples = data;
    if (data.length !== full) {
      if (data.length !== validWidth * validHeight) {
        throw new InvalidRequestError(
          `tile (${tileCol}, ${tileRow}) needs ${full} samples or the ${validWidth} × ${validHeight} inside the image; got ${data.length}`,
        );
      }
      samples = this.#pad(data, validWidth, validHeight, validWidth, 0);
    }
    this.#state[index] = PENDING;
    try {
      const bytes = toLittleEndianBytes(samples);
      // 'none' must copy: `bytes` may be a view of the caller's array.
      this.#tiles[index] = this.#spec.compression === 'none' ? bytes.slice() : await this.#spec.compress(bytes);
      this.#state[index] = STORED;
    } catch (error) {
      this.#state[index] = EMPTY;
      throw error;
    }
  }

  /**
   * Adds every tile of tile row `tileRow` of `band`, cut from `rows`: row-major, `width` wide
   * and `min(tileSize, height - tileRow * tileSize)` tall. Edges are padded with nodata (or 0).
   */
  async addTileRow(band: number, tileRow: number, rows: TiffSampleArray): Promise<void> {
    checkIndex('tileRow', tileRow, this.tilesDown);
    const { width } = this.#spec;
    const [, validHeight] = this.#validSize(0, tileRow);
    if (rows.length !== width * validHeight) {
      throw new InvalidRequestError(`tile row ${tileRow} needs ${width} × ${validHeight} samples, got ${rows.length}`);
    }
    const tiles: Promise<void>[] = [];
    for (let col = 0; col < this.tilesAcross; col++) {
      const [validWidth] = this.#validSize(col, tileRow);
      const tile = this.#pad(rows, validWidth, validHeight, width, col * this.tileSize);
      tiles.push(this.addTile(band, col, tileRow, tile));
    }
    await Promise.all(tiles);
  }

  /**
   * Assembles the file: header, IFD and its values first, then tile data band by band, row by
   * row. Throws `InvalidRequestError` if a tile is missing and `ImageTooLargeError` past 4 GiB.
   * Returns the chunks to write in order.
   */
  finish(): Uint8Array[] {
    const missing = this.#state.findIndex((state) => state !== STORED);
    if (missing >= 0) {
      const perBand = this.tilesAcross * this.tilesDown;
      const band = Math.floor(missing / perBand);
      const col = (missing % perBand) % this.tilesAcross;
      const row = Math.floor((missing % perBand) / this.tilesAcross);
      const left = this.#state.reduce((n, state) => n + (state === STORED ? 0 : 1), 0);
      const why = this.#state[missing] === PENDING ? 'is still being compressed' : 'was never added';
      throw new InvalidRequestError(`${left} tile(s) missing; tile (${col}, ${row}) of band ${band} ${why}`, { missing: left });
    }
    const tiles = this.#tiles as Uint8Array[];
    const byteCounts = Uint32Array.from(tiles, (tile) => tile.length);
    const offsets = new Uint32Array(tiles.length);
    const fields = buildTiffFields(this.#spec, offsets, byteCounts);
    let offset = TIFF_HEADER_BYTES + measureIfd(fields);
    for (let i = 0; i < tiles.length; i++) {
      if (offset + tiles[i].length > MAX_CLASSIC_TIFF_BYTES) {
        throw new ImageTooLargeError('the TIFF would exceed 4 GiB, the classic TIFF limit', { limitBytes: MAX_CLASSIC_TIFF_BYTES });
      }
      offsets[i] = offset;
      offset += tiles[i].length;
    }
    return [writeHeaderAndIfd(fields), ...tiles];
  }

  /** Width and height of the part of tile (col, row) that lies inside the image. */
  #validSize(tileCol: number, tileRow: number): [number, number] {
    const { width, height } = this.#spec;
    return [Math.min(this.tileSize, width - tileCol * this.tileSize), Math.min(this.tileSize, height - tileRow * this.tileSize)];
  }

  /** A full tile filled with the pad value, with `validWidth × validHeight` samples copied from `source`. */
  #pad(source: TiffSampleArray, validWidth: number, validHeight: number, stride: number, x0: number): TiffSampleArray {
    const tile = new SAMPLE_TYPES[this.#spec.sampleType].ArrayType(this.tileSize * this.tileSize);
    if (validWidth < this.tileSize || validHeight < this.tileSize) tile.fill(this.#padValue);
    for (let y = 0; y < validHeight; y++) {
      const start = y * stride + x0;
      tile.set(source.subarray(start, start + validWidth), y * this.tileSize);
    }
    return tile;
  }
}

/**
 * Encodes a whole image held in memory. `bands[i]` is band `i`, row-major `width × height`.
 *
 * @example
 * ```ts
 * const tif = await encodeTiff({ width: 2, height: 1, bands: 1, sampleType: 'uint8' }, [new Uint8Array([0, 1])]);
 * ```
 */
export async function encodeTiff(spec: TiffSpec, bands: TiffSampleArray[]): Promise<Uint8Array> {
  const encoder = new TiffEncoder(spec);
  if (bands.length !== spec.bands) {
    throw new InvalidRequestError(`spec has ${spec.bands} band(s) but ${bands.length} array(s) were given`);
  }
  const { width, height } = spec;
  const rowsPerTile = encoder.tileSize;
  for (const [band, samples] of bands.entries()) {
    if (samples.length !== width * height) {
      throw new InvalidRequestError(`band ${band} has ${samples.length} samples, expected ${width} × ${height}`);
    }
    for (let row = 0; row < encoder.tilesDown; row++) {
      const y0 = row * rowsPerTile;
      await encoder.addTileRow(band, row, samples.subarray(y0 * width, Math.min(height, y0 + rowsPerTile) * width));
    }
  }
  return concatBytes(encoder.finish());
}


function checkIndex(name: string, value: number, count: number): void {
  if (!Number.isInteger(value) || value < 0 || value >= count) {
    throw new InvalidRequestError(`${name} must be an integer from 0 to ${count - 1}, got ${value}`);
  }
}

/** The samples' bytes in little-endian order (a view on little-endian hosts, a copy otherwise). */
function toLittleEndianBytes(samples: TiffSampleArray): Uint8Array {
  const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  if (HOST_IS_LITTLE_ENDIAN || samples.BYTES_PER_ELEMENT === 1) return bytes;
  const out = new Uint8Array(samples.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) {
    if (samples instanceof Float32Array) view.setFloat32(i * 4, samples[i], true);
    else view.setUint16(i * 2, samples[i], true);
  }
  return out;
}
