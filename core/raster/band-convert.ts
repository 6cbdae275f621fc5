import type { BlockGrid } from './band-file.js';
import type { PixelWindow } from './grid.js';

/** How native rows become one band of an analysis window. */
export interface ConvertPlan {
  window: PixelWindow;
  /** Native pixels per analysis pixel (1 for 10 m bands, 2 for 20 m ones on the 10 m grid). */
  ratio: number;
  /** Native column of each window column (nearest neighbour). */
  columns: Int32Array;
  nativeHeight: number;
  /** value × scale + offset; `missing` where the value is the file's nodata or NaN. */
  convert: { scale: number; offset: number; missing: number };
  nodata: number | undefined;
  out: Float32Array;
  /** For 8- and 16-bit unsigned samples: every value already converted (see `conversionTable`); else computed per pixel. */
  table?: Float32Array;
}

/**
 * The converted value of every possible 8- or 16-bit unsigned sample: one look-up per pixel
 * instead of a comparison, a multiply and an add, with the very same Float32 results.
 *
 * @example
 * ```ts
 * conversionTable(16, { scale: 1e-4, offset: -0.1, missing: NaN }, 0)[1500]; // 0.05 (as Float32)
 * ```
 */
export function conversionTable(bits: 8 | 16, convert: ConvertPlan['convert'], nodata: number | undefined): Float32Array {
  const table = new Float32Array(1 << bits);
  for (let value = 0; value < table.length; value++) table[value] = value === nodata ? convert.missing : value * convert.scale + convert.offset;
  return table;
}

/** A run of window columns `[c0, c1)` whose native pixels lie in block column `j`. */
interface Segment {
  j: number;
  c0: number;
  c1: number;
}

/**
 * Writes `plan.window` of one band into `plan.out` straight from decoded blocks: one pass per
 * native row (a 20 m row under two 10 m rows is converted once and its result copied), one
 * loop per block column, contiguous reads where window columns map 1:1, the file's nodata and NaN as `missing`.
 */
export function convertRows(grid: BlockGrid, sampleOffset: number, plan: ConvertPlan): void {
  const { window, ratio, columns, out } = plan;
  const { blockWidth, blockHeight, across, stride, blocks } = grid;
  const { scale, offset, missing } = plan.convert;
  // NaN never equals itself, so `value !== value` catches NaN; `nodata` may be undefined.
  const noValue = plan.nodata ?? NaN;
  const segments = segmentsOf(grid, columns);
  const table = plan.table;
  const width = window.width;
  let previous = -1;
  for (let row = 0; row < window.height; row++) {
    const ny = Math.min(plan.nativeHeight - 1, Math.floor((window.y0 + row) / ratio));
    const outBase = row * width;
    if (ny === previous) {
      out.copyWithin(outBase, outBase - width, outBase);
      continue;
    }
    previous = ny;
    const i = Math.floor((ny - grid.y0) / blockHeight);
    const rowStart = (ny - grid.y0 - i * blockHeight) * blockWidth;
    for (const { j, c0, c1 } of segments) {
      const src = blocks[i * across + j];
      const tileX = grid.x0 + j * blockWidth;
      const contiguous = columns[c1 - 1] - columns[c0] === c1 - 1 - c0;
      if (table && contiguous) {
        for (let c = c0, k = (rowStart + columns[c0] - tileX) * stride + sampleOffset; c < c1; c++, k += stride) out[outBase + c] = table[src[k]];
      } else if (table) {
        const base = (rowStart - tileX) * stride + sampleOffset;
        for (let c = c0; c < c1; c++) out[outBase + c] = table[src[base + columns[c] * stride]];
      } else {
        const base = (rowStart - tileX) * stride + sampleOffset;
        for (let c = c0; c < c1; c++) {
          const value = src[base + columns[c] * stride];
          out[outBase + c] = value === noValue || value !== value ? missing : value * scale + offset;
        }
      }
    }
  }
}

/** Splits the window's columns by the block column their native pixel falls in (`columns` never decreases). */
function segmentsOf(grid: BlockGrid, columns: Int32Array): Segment[] {
  const segments: Segment[] = [];
  let c0 = 0;
  while (c0 < columns.length) {
    const j = Math.floor((columns[c0] - grid.x0) / grid.blockWidth);
    const end = grid.x0 + (j + 1) * grid.blockWidth;
    let c1 = c0 + 1;
    while (c1 < columns.length && columns[c1] < end) c1++;
    segments.push({ j, c0, c1 });
    c0 = c1;
  }
  return segments;
}
