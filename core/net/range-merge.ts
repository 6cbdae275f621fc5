/** Bytes `[offset, offset + length)` of a file. */
export interface ByteRange {
  offset: number;
  length: number;
}

/** A range to request, and the indices of the input ranges it serves. */
export interface MergedRange extends ByteRange {
  parts: number[];
}

/** How ranges are merged. */
export interface MergeOptions {
  /** Merge ranges separated by at most this many bytes (the gap is read and dropped); default 0. */
  maxGapBytes?: number;
  /** Never make a merged range longer than this (keeps requests parallel); default unlimited. */
  maxLengthBytes?: number;
}

/**
 * Merges byte ranges that touch, overlap or lie within `maxGapBytes` of each other into fewer
 * requests, as GDAL's /vsicurl/ does for adjacent COG tiles. Empty ranges are dropped. Pure.
 *
 * @example
 * ```ts
 * mergeRanges([{ offset: 0, length: 10 }, { offset: 10, length: 5 }, { offset: 100, length: 1 }]);
 * // [{ offset: 0, length: 15, parts: [0, 1] }, { offset: 100, length: 1, parts: [2] }]
 * ```
 */
export function mergeRanges(ranges: readonly ByteRange[], options: MergeOptions = {}): MergedRange[] {
  const maxGap = options.maxGapBytes ?? 0;
  const maxLength = options.maxLengthBytes ?? Infinity;
  const order = ranges
    .map((range, index) => ({ ...range, index }))
    .filter((range) => range.length > 0)
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  const merged: MergedRange[] = [];
  for (const range of order) {
    const last = merged[merged.length - 1];
    const end = range.offset + range.length;
    if (last && range.offset <= last.offset + last.length + maxGap && Math.max(end, last.offset + last.length) - last.offset <= maxLength) {
      last.length = Math.max(last.length, end - last.offset);
      last.parts.push(range.index);
    } else {
      merged.push({ offset: range.offset, length: range.length, parts: [range.index] });
    }
  }
  return merged;
}

/** The bytes of each input range, cut from the merged ranges' bytes (shorter at end of file). */
export function splitMerged(ranges: readonly ByteRange[], merged: readonly MergedRange[], bytes: readonly Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = ranges.map(() => new Uint8Array(0));
  merged.forEach((group, g) => {
    for (const index of group.parts) {
      const start = ranges[index].offset - group.offset;
      out[index] = bytes[g].subarray(Math.min(start, bytes[g].byteLength), Math.min(start + ranges[index].length, bytes[g].byteLength));
    }
  });
  return out;
}
