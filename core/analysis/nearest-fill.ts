/**
 * Fills the NaN cells of a row-major grid of cells (a strip's water cells) from the nearest
 * measured cell: the least Chebyshev distance, and among cells at that distance the first in
 * row-major order; NaN when no cell is measured. Values come from the grid as it was, not from
 * cells filled before.
 *
 * Each cell's answer comes from one look along every cell row (the nearest measured cell to the
 * left and right of its column, precomputed per row), not from rings searched outwards, which
 * cost a strip of mostly land or nodata (few measured cells, 344 across a full tile) the square
 * of its width per cell.
 *
 * @example
 * ```ts
 * const cells = Float32Array.of(NaN, 2, NaN, NaN, NaN, 7);
 * fillFromNearest(cells, 3); // [2, 2, 2, 2, 2, 7]: ties go to the first cell in row-major order
 * ```
 */
export function fillFromNearest(cells: Float32Array, across: number): void {
  const down = cells.length / across;
  const source = Float32Array.from(cells);
  // Per row: the nearest measured column at or left of each column (-1: none), and at or right (across: none).
  const left = new Int32Array(cells.length);
  const right = new Int32Array(cells.length);
  for (let y = 0; y < down; y++) {
    const o = y * across;
    let last = -1;
    for (let x = 0; x < across; x++) {
      if (!Number.isNaN(source[o + x])) last = x;
      left[o + x] = last;
    }
    last = across;
    for (let x = across - 1; x >= 0; x--) {
      if (!Number.isNaN(source[o + x])) last = x;
      right[o + x] = last;
    }
  }
  for (let c = 0; c < cells.length; c++) {
    if (!Number.isNaN(source[c])) continue;
    const cx = c % across;
    const cy = (c - cx) / across;
    // The least distance: over rows, the larger of the row offset and the nearest column in that row.
    let best = Number.POSITIVE_INFINITY;
    for (let y = 0; y < down; y++) {
      const o = y * across + cx;
      const column = Math.min(left[o] < 0 ? Number.POSITIVE_INFINITY : cx - left[o], right[o] >= across ? Number.POSITIVE_INFINITY : right[o] - cx);
      best = Math.min(best, Math.max(Math.abs(y - cy), column));
    }
    let found = NaN;
    if (Number.isFinite(best)) {
      // The first measured cell at that distance in row-major order: the first row that has one
      // within `best` columns, its first such column.
      for (let y = Math.max(0, cy - best); y <= Math.min(down - 1, cy + best) && Number.isNaN(found); y++) {
        const x = right[y * across + Math.max(0, cx - best)];
        if (x <= Math.min(across - 1, cx + best)) found = source[y * across + x];
      }
    }
    cells[c] = found;
  }
}
