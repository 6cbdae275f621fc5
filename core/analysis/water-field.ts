/**
 * Local open-water statistics on a coarse grid of cells: the water end-member of fractional
 * cover varies across a scene (a glint gradient, a turbid plume, sediment near a river mouth),
 * so each kelp pixel is unmixed against the water around it rather than against one scene
 * median (Kelpwatch's MESMA uses per-scene water end-members for the same reason; Bell et al.
 * 2020, Remote Sensing of Environment 238:110811).
 *
 * Cells are `WATER_CELL_PX` pixels square on the analysed window, so a strip of rows (a
 * multiple of the cell size) holds whole cells: each strip computes its cells' medians alone.
 */

/** Cell size in pixels: 320 m at 10 m, about the scale over which plumes and glint change. */
export const WATER_CELL_PX = 32;

/** Open-water pixels a cell needs before its median is used (a sixteenth of the cell). */
export const MIN_CELL_WATER_PX = 64;

/** Per-cell histograms over one strip: a fixed-bin median without holding the values. */
export class CellHistograms {
  readonly counts: Uint16Array;
  readonly totals: Uint16Array;
  private readonly scale: number;

  /**
   * @param cells number of cells in the strip
   * @param min, max value range; values outside fall in the end bins
   */
  constructor(
    readonly cells: number,
    readonly min: number,
    readonly max: number,
    readonly bins: number,
  ) {
    this.counts = new Uint16Array(cells * bins);
    this.totals = new Uint16Array(cells);
    this.scale = bins / (max - min);
  }

  clear(): void {
    this.counts.fill(0);
    this.totals.fill(0);
  }

  add(cell: number, value: number): void {
    const bin = Math.floor((value - this.min) * this.scale);
    this.counts[cell * this.bins + (bin < 0 ? 0 : bin >= this.bins ? this.bins - 1 : bin)]++;
    this.totals[cell]++;
  }

  /** The `p` quantile (0–1) of cell `cell`, interpolated within its bin; NaN when empty. */
  quantile(cell: number, p: number): number {
    const total = this.totals[cell];
    if (total === 0) return NaN;
    const target = p * total;
    const base = cell * this.bins;
    let seen = 0;
    for (let b = 0; b < this.bins; b++) {
      const c = this.counts[base + b];
      if (c > 0 && seen + c >= target) return this.min + (b + (target - seen) / c) / this.scale;
      seen += c;
    }
    return this.max;
  }
}

/** Some rows of a water field's cells, from cell row `from`. */
export interface WaterCellRows {
  from: number;
  median: Float32Array;
  spread: Float32Array;
  count: Uint16Array;
}

/**
 * The water FAI of every cell of the analysed window (median, robust spread, pixel count), then
 * filled where a cell had too little water and read back per pixel by bilinear interpolation
 * between cell centres.
 */
export class WaterField {
  readonly cellsAcross: number;
  readonly cellsDown: number;
  readonly median: Float32Array;
  /** Robust standard deviation of the cell's water FAI: interquartile range / 1.349. */
  readonly spread: Float32Array;
  readonly count: Uint16Array;
  /** Cells whose value was measured (not filled from neighbours). */
  measured = 0;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.cellsAcross = Math.ceil(width / WATER_CELL_PX);
    this.cellsDown = Math.ceil(height / WATER_CELL_PX);
    const n = this.cellsAcross * this.cellsDown;
    this.median = new Float32Array(n).fill(NaN);
    this.spread = new Float32Array(n).fill(NaN);
    this.count = new Uint16Array(n);
  }

  /** Records cell row `cellRow`'s cells from a strip's histograms (cells numbered row-major in the strip). */
  takeRow(cellRow: number, histograms: CellHistograms, stripCellRow: number): void {
    for (let cx = 0; cx < this.cellsAcross; cx++) {
      const h = stripCellRow * this.cellsAcross + cx;
      const i = cellRow * this.cellsAcross + cx;
      const n = histograms.totals[h];
      this.count[i] = n;
      if (n < MIN_CELL_WATER_PX) continue;
      this.median[i] = histograms.quantile(h, 0.5);
      this.spread[i] = (histograms.quantile(h, 0.75) - histograms.quantile(h, 0.25)) / 1.349;
    }
  }

  /** Copies of cell rows `[from, to)` (e.g. to hand to another thread). */
  cellRows(from: number, to: number): WaterCellRows {
    const [a, b] = [from * this.cellsAcross, Math.min(this.cellsDown, to) * this.cellsAcross];
    return { from, median: this.median.slice(a, b), spread: this.spread.slice(a, b), count: this.count.slice(a, b) };
  }

  /** Takes cell rows made by `cellRows` of a field of the same window. */
  placeCellRows(rows: WaterCellRows): void {
    const at = rows.from * this.cellsAcross;
    this.median.set(rows.median, at);
    this.spread.set(rows.spread, at);
    this.count.set(rows.count, at);
  }

  /**
   * Fills cells without a value from the nearest measured cells (breadth-first, averaging the
   * measured neighbours reached in the same step). Returns false when no cell was measured.
   */
  fill(): boolean {
    const { cellsAcross: w, cellsDown: h, median, spread } = this;
    let frontier: number[] = [];
    this.measured = 0;
    for (let i = 0; i < median.length; i++) {
      if (!Number.isNaN(median[i])) {
        frontier.push(i);
        this.measured++;
      }
    }
    if (this.measured === 0) return false;
    while (frontier.length) {
      const next: number[] = [];
      const sums = new Map<number, { m: number; s: number; n: number }>();
      for (const i of frontier) {
        const x = i % w;
        const y = (i - x) / w;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const nx = x + dx;
            const ny = y + dy;
            if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
            const j = ny * w + nx;
            if (!Number.isNaN(median[j])) continue;
            const acc = sums.get(j) ?? { m: 0, s: 0, n: 0 };
            acc.m += median[i];
            acc.s += spread[i];
            acc.n++;
            sums.set(j, acc);
          }
        }
      }
      // Keys in insertion order come from a deterministic frontier order, so fills are reproducible.
      for (const [j, acc] of sums) {
        median[j] = acc.m / acc.n;
        spread[j] = acc.s / acc.n;
        next.push(j);
      }
      frontier = next.sort((a, b) => a - b);
    }
    return true;
  }

  /** Water FAI at pixel (x, y) of the window: bilinear between cell centres, clamped at the edges. */
  at(x: number, y: number): number {
    return this.interpolate(this.median, x, y);
  }

  /**
   * How far the water FAI at pixel (x, y) may be off: the largest difference between the
   * interpolated value and the cells it comes from (a gradient or plume edge under the pixel),
   * and at least the standard error of the nearest cell's median.
   */
  uncertaintyAt(x: number, y: number): number {
    const w = this.cellsAcross;
    const { i, j, i1, j1 } = this.stencil(x, y);
    const v = this.at(x, y);
    let u = 0;
    for (const c of [j * w + i, j * w + i1, j1 * w + i, j1 * w + i1]) u = Math.max(u, Math.abs(this.median[c] - v));
    const nearest = j * w + i;
    const n = Math.max(1, this.count[nearest]);
    return Math.max(u, (1.2533 * this.spread[nearest]) / Math.sqrt(n));
  }

  private stencil(x: number, y: number) {
    const w = this.cellsAcross;
    const u = Math.min(w - 1, Math.max(0, (x + 0.5) / WATER_CELL_PX - 0.5));
    const v = Math.min(this.cellsDown - 1, Math.max(0, (y + 0.5) / WATER_CELL_PX - 0.5));
    const i = Math.floor(u);
    const j = Math.floor(v);
    return { u, v, i, j, i1: Math.min(w - 1, i + 1), j1: Math.min(this.cellsDown - 1, j + 1) };
  }

  private interpolate(values: Float32Array, x: number, y: number): number {
    const w = this.cellsAcross;
    const { u, v, i, j, i1, j1 } = this.stencil(x, y);
    const fu = u - i;
    const fv = v - j;
    const top = values[j * w + i] * (1 - fu) + values[j * w + i1] * fu;
    const bottom = values[j1 * w + i] * (1 - fu) + values[j1 * w + i1] * fu;
    return top * (1 - fv) + bottom * fv;
  }
}
