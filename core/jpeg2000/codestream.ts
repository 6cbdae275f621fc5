/**
 * The main header of a JPEG 2000 codestream (ISO/IEC 15444-1, Annex A): the image and tile
 * geometry (SIZ), the coding style of component 0 (COD, COC), and where the header's segments
 * lie, so that a codestream holding one tile can be built from it (see tile-codestream.ts).
 * Read from bytes only: nothing here allocates by a size the file declares.
 */
import { CorruptImageError, UnsupportedFormatError } from '../errors.js';

/** Marker codes (ISO/IEC 15444-1, Table A.2) this reader meets. */
export const MARKER = {
  SOC: 0xff4f,
  SIZ: 0xff51,
  COD: 0xff52,
  COC: 0xff53,
  TLM: 0xff55,
  PLM: 0xff57,
  PPM: 0xff60,
  SOT: 0xff90,
  EOC: 0xffd9,
} as const;

/** One image component (a band): sample depth, sign and subsampling. */
export interface Component {
  bits: number;
  signed: boolean;
  dx: number;
  dy: number;
}

/** Image and tile geometry on the reference grid (SIZ). */
export interface ImageGeometry {
  /** Rsiz: the profile and capabilities the codestream needs (kept as it is in a one-tile codestream). */
  capabilities: number;
  /** Image area `[x0, x1) × [y0, y1)`. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  tileWidth: number;
  tileHeight: number;
  tileX0: number;
  tileY0: number;
  tilesAcross: number;
  tilesDown: number;
  components: Component[];
}

/** How component 0 is coded (COD, or COC for component 0). */
export interface CodingStyle {
  /** Wavelet decomposition levels (NL); resolutions are `0 … levels`. */
  levels: number;
  /** Code-block width and height exponents (the block is 2^x × 2^y). */
  codeBlockX: number;
  codeBlockY: number;
  /** Precinct width and height exponents per resolution, lowest first (15: no partition). */
  precincts: Array<[x: number, y: number]>;
}

/** A marker segment of the main header: its code and byte range `[start, end)` in the codestream. */
export interface Segment {
  marker: number;
  start: number;
  end: number;
}

/** What the main header says. */
export interface MainHeader {
  geometry: ImageGeometry;
  coding: CodingStyle;
  segments: Segment[];
  /** Offset of the first tile-part (SOT), i.e. the main header's length in bytes. */
  firstTilePart: number;
  /** Tile-part lengths from TLM segments, in order, when the header has them. */
  tilePartLengths?: Array<{ tile: number | undefined; length: number }>;
  /** PPM (packed packet headers of every tile in the main header): tiles cannot be decoded one at a time. */
  packedHeaders: boolean;
}

/** Most tiles a codestream can hold: tile indices (Isot) are 16-bit and 65535 is reserved. */
export const MAX_TILES = 65535;

/** Thrown while parsing when the bytes end before the main header does. */
export class NeedMoreBytes extends Error {
  constructor(readonly needed: number) {
    super(`the main header needs at least ${needed} bytes`);
  }
}

/**
 * Parses the main header from `bytes`, the codestream's first bytes. Throws `NeedMoreBytes`
 * when they end before the first tile-part, `CorruptImageError` when the header is damaged,
 * and `UnsupportedFormatError` for what the analysis cannot read (subsampled components).
 *
 * @example
 * ```ts
 * const header = parseMainHeader(await source.read(codestreamOffset, 65536), 'B04.jp2');
 * header.geometry.tileWidth; // 1024
 * ```
 */
export function parseMainHeader(bytes: Uint8Array, name: string): MainHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (end: number) => {
    if (end > bytes.byteLength) throw new NeedMoreBytes(end);
  };
  need(2);
  if (view.getUint16(0) !== MARKER.SOC) throw corrupt(name, 'the codestream does not start with SOC');
  const segments: Segment[] = [];
  let geometry: ImageGeometry | undefined;
  let cod: CodingStyle | undefined;
  let coc: CodingStyle | undefined;
  const lengths: NonNullable<MainHeader['tilePartLengths']> = [];
  let packedHeaders = false;
  let position = 2;
  for (;;) {
    need(position + 4);
    const marker = view.getUint16(position);
    if (marker === MARKER.SOT) break;
    if (marker >>> 8 !== 0xff) throw corrupt(name, `no marker at byte ${position} of the main header`);
    const end = position + 2 + view.getUint16(position + 2);
    if (end < position + 4) throw corrupt(name, `marker segment at byte ${position} is too short`);
    need(end);
    const body = new DataView(bytes.buffer, bytes.byteOffset + position + 4, end - position - 4);
    if (marker === MARKER.SIZ) geometry = readSiz(body, name);
    else if (marker === MARKER.COD) cod = readCodingStyle(body, 0, 4, name);
    else if (marker === MARKER.COC && geometry && componentOf(body, geometry) === 0) coc = readCodingStyle(body, geometry.components.length < 257 ? 1 : 2, 0, name);
    else if (marker === MARKER.TLM) lengths.push(...readTlm(body, name));
    else if (marker === MARKER.PPM) packedHeaders = true;
    segments.push({ marker, start: position, end });
    position = end;
  }
  if (!geometry) throw corrupt(name, 'the main header has no SIZ segment');
  const coding = coc ?? cod;
  if (!coding) throw corrupt(name, 'the main header has no COD segment');
  return { geometry, coding, segments, firstTilePart: position, packedHeaders, ...(lengths.length ? { tilePartLengths: lengths } : {}) };
}

function corrupt(name: string, why: string): CorruptImageError {
  return new CorruptImageError(`${name} is not a readable JPEG 2000 file: ${why}`);
}

/** SIZ (A.5.1): Rsiz, image and tile geometry, then depth and subsampling per component. */
function readSiz(body: DataView, name: string): ImageGeometry {
  if (body.byteLength < 36) throw corrupt(name, 'its SIZ segment is too short');
  const [x1, y1, x0, y0, tileWidth, tileHeight, tileX0, tileY0] = [2, 6, 10, 14, 18, 22, 26, 30].map((at) => body.getUint32(at));
  const count = body.getUint16(34);
  if (count < 1 || body.byteLength < 36 + 3 * count) throw corrupt(name, `its SIZ segment lists ${count} components but holds fewer`);
  const components = Array.from({ length: count }, (_, i) => {
    const depth = body.getUint8(36 + 3 * i);
    return { bits: (depth & 0x7f) + 1, signed: (depth & 0x80) !== 0, dx: body.getUint8(37 + 3 * i), dy: body.getUint8(38 + 3 * i) };
  });
  const valid =
    x1 > x0 && y1 > y0 && tileWidth > 0 && tileHeight > 0 && tileX0 <= x0 && tileY0 <= y0 && tileX0 + tileWidth > x0 && tileY0 + tileHeight > y0 &&
    components.every((c) => c.dx > 0 && c.dy > 0 && c.bits <= 38);
  if (!valid) throw corrupt(name, `its SIZ segment describes no valid image (${x1 - x0} × ${y1 - y0} pixels in tiles of ${tileWidth} × ${tileHeight})`);
  if (components.some((c) => c.dx !== 1 || c.dy !== 1)) {
    throw new UnsupportedFormatError(`${name} has subsampled JPEG 2000 components, which Sentinel-2 band files never have; give the band as a GeoTIFF`);
  }
  const tilesAcross = Math.ceil((x1 - tileX0) / tileWidth);
  const tilesDown = Math.ceil((y1 - tileY0) / tileHeight);
  if (tilesAcross * tilesDown > MAX_TILES) throw corrupt(name, `its SIZ segment declares ${tilesAcross * tilesDown} tiles, more than a codestream can hold (${MAX_TILES})`);
  return { capabilities: body.getUint16(0), x0, y0, x1, y1, tileWidth, tileHeight, tileX0, tileY0, tilesAcross, tilesDown, components };
}

/** The component a COC segment is for. */
function componentOf(body: DataView, geometry: ImageGeometry): number {
  return geometry.components.length < 257 ? body.getUint8(0) : body.getUint16(0);
}

/**
 * COD (A.6.1: Scod, then SGcod of 4 bytes) or COC (A.6.2: Ccoc, Scoc): the SPcod/SPcoc that
 * follow are decomposition levels, code-block exponents (minus 2), style, transform, and one
 * precinct byte per resolution (low nibble x, high nibble y) when bit 0 of the style says so.
 */
function readCodingStyle(body: DataView, skip: number, sg: number, name: string): CodingStyle {
  const style = body.getUint8(skip);
  const at = skip + 1 + sg;
  if (body.byteLength < at + 5) throw corrupt(name, 'its COD or COC segment is too short');
  const levels = body.getUint8(at);
  if (levels > 32) throw corrupt(name, `it declares ${levels} decomposition levels (at most 32)`);
  const codeBlockX = body.getUint8(at + 1) + 2;
  const codeBlockY = body.getUint8(at + 2) + 2;
  if (codeBlockX > 10 || codeBlockY > 10 || codeBlockX + codeBlockY > 12) throw corrupt(name, 'its code-block size is out of range');
  const precincts: Array<[number, number]> = [];
  for (let r = 0; r <= levels; r++) {
    if (style & 1) {
      if (body.byteLength < at + 5 + r + 1) throw corrupt(name, 'its precinct sizes are cut short');
      const byte = body.getUint8(at + 5 + r);
      precincts.push([byte & 0x0f, byte >> 4]);
    } else precincts.push([15, 15]);
  }
  return { levels, codeBlockX, codeBlockY, precincts };
}

/** TLM (A.7.1): tile-part lengths, with the tile index when Ttlm is present. */
function readTlm(body: DataView, name: string): Array<{ tile: number | undefined; length: number }> {
  const style = body.getUint8(1);
  const tileBytes = (style >> 4) & 3;
  const lengthBytes = (style >> 6) & 1 ? 4 : 2;
  if (tileBytes === 3) throw corrupt(name, 'its TLM segment has an invalid style');
  const entry = tileBytes + lengthBytes;
  const out: Array<{ tile: number | undefined; length: number }> = [];
  for (let at = 2; at + entry <= body.byteLength; at += entry) {
    const tile = tileBytes === 0 ? undefined : tileBytes === 1 ? body.getUint8(at) : body.getUint16(at);
    out.push({ tile, length: lengthBytes === 4 ? body.getUint32(at + tileBytes) : body.getUint16(at + tileBytes) });
  }
  return out;
}

/** The area of tile `index` on the reference grid (B.3): `[x0, x1) × [y0, y1)`. */
export function tileArea(geometry: ImageGeometry, index: number): { x0: number; y0: number; x1: number; y1: number } {
  const p = index % geometry.tilesAcross;
  const q = Math.floor(index / geometry.tilesAcross);
  return {
    x0: Math.max(geometry.tileX0 + p * geometry.tileWidth, geometry.x0),
    y0: Math.max(geometry.tileY0 + q * geometry.tileHeight, geometry.y0),
    x1: Math.min(geometry.tileX0 + (p + 1) * geometry.tileWidth, geometry.x1),
    y1: Math.min(geometry.tileY0 + (q + 1) * geometry.tileHeight, geometry.y1),
  };
}
