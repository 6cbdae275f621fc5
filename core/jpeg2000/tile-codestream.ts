/**
 * One tile of a tiled JPEG 2000 codestream as a codestream of its own: the main header with a
 * SIZ that makes the tile the whole image (at the origin), then the tile's tile-parts renumbered
 * as tile 0. A decoder without a region API (the WebAssembly OpenJPEG) then decodes one tile at
 * a time, so memory stays bounded by a tile, not by the image.
 *
 * Moving a tile to the origin changes nothing in how it decodes when the tile's offset keeps
 * every partition the standard anchors at the origin (ISO/IEC 15444-1, B.5–B.7): the wavelet's
 * even/odd phase at every level, the precinct grid of every resolution and the code-block grid
 * of every sub-band. {@link decodesAlone} checks exactly that; Sentinel-2 and GDAL's 1024-pixel
 * tiles always pass.
 */
import { type CodingStyle, type ImageGeometry, MARKER, type MainHeader, tileArea } from './codestream.js';

/** Main-header segments a one-tile codestream leaves out: SIZ is rewritten, TLM and PLM describe the other tiles. */
const DROPPED = new Set<number>([MARKER.SIZ, MARKER.TLM, MARKER.PLM]);

/**
 * True when tile `index` decodes the same at the origin as in place, so {@link tileCodestream}
 * may be used for it.
 *
 * @example
 * ```ts
 * decodesAlone(header, 5); // true for Sentinel-2's 1024 × 1024 tiles
 * ```
 */
export function decodesAlone(header: MainHeader, index: number): boolean {
  if (header.packedHeaders) return false;
  const area = tileArea(header.geometry, index);
  return (
    keepsPartitions(area.x0, area.x1 - area.x0, header.coding, 0) &&
    keepsPartitions(area.y0, area.y1 - area.y0, header.coding, 1)
  );
}

/** Along one axis: a tile starting at `start`, `size` samples long, keeps its partitions at the origin. */
function keepsPartitions(start: number, size: number, coding: CodingStyle, axis: 0 | 1): boolean {
  const { levels } = coding;
  // The wavelet splits each level into even (low-pass) and odd (high-pass) samples from the start.
  if (start % 2 ** levels !== 0) return false;
  const codeBlock = axis === 0 ? coding.codeBlockX : coding.codeBlockY;
  for (let r = 0; r <= levels; r++) {
    const scale = 2 ** (levels - r);
    const first = start / scale;
    const count = Math.ceil((start + size) / scale) - first;
    const precinct = coding.precincts[r][axis];
    if (!samePartition(first, count, 2 ** precinct)) return false;
    // Code-blocks partition each sub-band (half the resolution's samples above level 0), no larger than its precinct allows.
    const block = 2 ** Math.min(codeBlock, r > 0 ? precinct - 1 : precinct);
    if (!samePartition(r > 0 ? first / 2 : first, r > 0 ? Math.ceil(count / 2) : count, block)) return false;
  }
  return true;
}

/** Cells of `cell` anchored at 0 cut `[first, first + count)` as they cut `[0, count)`. */
function samePartition(first: number, count: number, cell: number): boolean {
  const into = first % cell;
  return into === 0 || (into + count <= cell && count <= cell);
}

/**
 * A codestream holding only tile `index`: SOC, a SIZ declaring the tile as the image at the
 * origin, the other main-header segments as they were (bar TLM and PLM), the tile's
 * `tileParts` (each from its SOT to its end) with the tile index set to 0, and EOC.
 *
 * @example
 * ```ts
 * const one = tileCodestream(mainHeaderBytes, header, 5, [await source.read(part.offset, part.length)]);
 * ```
 */
export function tileCodestream(mainHeader: Uint8Array, header: MainHeader, index: number, tileParts: readonly Uint8Array[]): Uint8Array {
  const area = tileArea(header.geometry, index);
  const siz = sizFor(header.geometry, area.x1 - area.x0, area.y1 - area.y0);
  const kept = header.segments.filter((segment) => !DROPPED.has(segment.marker));
  const length = 2 + siz.byteLength + kept.reduce((sum, s) => sum + s.end - s.start, 0) + tileParts.reduce((sum, p) => sum + p.byteLength, 0) + 2;
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  view.setUint16(0, MARKER.SOC);
  out.set(siz, 2);
  let at = 2 + siz.byteLength;
  for (const segment of kept) {
    out.set(mainHeader.subarray(segment.start, segment.end), at);
    at += segment.end - segment.start;
  }
  for (const part of tileParts) {
    out.set(part, at);
    view.setUint16(at + 4, 0); // Isot: this is tile 0 now
    at += part.byteLength;
  }
  view.setUint16(at, MARKER.EOC);
  return out;
}

/** A SIZ segment for a one-tile image of `width` × `height` at the origin, with the same components. */
function sizFor(geometry: ImageGeometry, width: number, height: number): Uint8Array {
  const count = geometry.components.length;
  const out = new Uint8Array(2 + 38 + 3 * count);
  const view = new DataView(out.buffer);
  view.setUint16(0, MARKER.SIZ);
  view.setUint16(2, 38 + 3 * count);
  view.setUint16(4, geometry.capabilities);
  [width, height, 0, 0, width, height, 0, 0].forEach((value, i) => view.setUint32(6 + 4 * i, value));
  view.setUint16(38, count);
  geometry.components.forEach((component, i) => {
    view.setUint8(40 + 3 * i, (component.bits - 1) | (component.signed ? 0x80 : 0));
    view.setUint8(41 + 3 * i, component.dx);
    view.setUint8(42 + 3 * i, component.dy);
  });
  return out;
}
