import { CorruptImageError } from '../errors.js';
import type { ByteSource } from '../raster/byte-source.js';
import { MARKER, type MainHeader } from './codestream.js';

/** One tile-part: its bytes from its SOT marker, `[offset, offset + length)` of the file. */
export interface TilePart {
  offset: number;
  length: number;
}

/** Bytes of an SOT marker segment with its marker: SOT, Lsot, Isot, Psot, TPsot, TNsot (A.4.2). */
const SOT_BYTES = 12;
/** Most tile-parts indexed: 255 parts (TPsot is a byte) of every possible tile would be far more than any file has. */
const MAX_TILE_PARTS = 1_000_000;

/**
 * Where every tile's tile-parts are, in order: from the main header's TLM segments when it has
 * them, else by hopping from SOT to SOT (12 bytes read per tile-part; Sentinel-2 files have no
 * TLM). Every tile the header declares must be present, and no tile-part may run past the
 * codestream's end: a truncated or doctored file fails here, before anything is decoded.
 *
 * @example
 * ```ts
 * const parts = await indexTileParts(source, { offset: 2448, length: 1073380 }, header, 'B04.jp2');
 * parts[0]; // [{ offset: 2599, length: 933843 }]
 * ```
 */
export async function indexTileParts(
  source: ByteSource,
  codestream: { offset: number; length: number },
  header: MainHeader,
  name: string,
  signal?: AbortSignal,
): Promise<TilePart[][]> {
  const { tilesAcross, tilesDown } = header.geometry;
  const tiles: TilePart[][] = Array.from({ length: tilesAcross * tilesDown }, () => []);
  const end = codestream.offset + codestream.length;
  const truncated = () =>
    new CorruptImageError(`${name} is truncated: its JPEG 2000 tiles run past the end of the file (${source.size} bytes); download or upload it again`, { size: source.size });
  if (header.tilePartLengths) {
    let at = codestream.offset + header.firstTilePart;
    header.tilePartLengths.forEach(({ tile, length }, i) => {
      const index = tile ?? i;
      if (index >= tiles.length || length < SOT_BYTES) throw new CorruptImageError(`${name} is not a readable JPEG 2000 file: its TLM segment lists tile ${index} of ${tiles.length}`);
      if (at + length > end) throw truncated();
      tiles[index].push({ offset: at, length });
      at += length;
    });
  } else {
    let at = codestream.offset + header.firstTilePart;
    for (let count = 0; at < end; count++) {
      if (count > MAX_TILE_PARTS) throw new CorruptImageError(`${name} is not a readable JPEG 2000 file: it has more than ${MAX_TILE_PARTS} tile-parts`);
      const head = await source.read(at, Math.min(SOT_BYTES, end - at), signal);
      const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
      if (head.byteLength >= 2 && view.getUint16(0) === MARKER.EOC) break;
      if (head.byteLength < SOT_BYTES) throw truncated();
      if (view.getUint16(0) !== MARKER.SOT || view.getUint16(2) !== 10) {
        throw new CorruptImageError(`${name} is not a readable JPEG 2000 file: no tile-part where one should start (byte ${at})`);
      }
      const index = view.getUint16(4);
      const psot = view.getUint32(6);
      // Psot 0: the last tile-part, running to the end of the codestream (before EOC).
      const length = psot === 0 ? end - at : psot;
      if (index >= tiles.length || length < SOT_BYTES + 2) throw new CorruptImageError(`${name} is not a readable JPEG 2000 file: a tile-part names tile ${index} of ${tiles.length}`);
      if (at + length > end) throw truncated();
      tiles[index].push({ offset: at, length });
      at += length;
    }
  }
  const missing = tiles.filter((parts) => parts.length === 0).length;
  if (missing) {
    throw new CorruptImageError(
      `${name} is damaged or truncated: its header declares ${tiles.length} tiles of ${header.geometry.tileWidth} × ${header.geometry.tileHeight} pixels but ${missing} of them are missing`,
      { tiles: tiles.length, missing },
    );
  }
  return tiles;
}
