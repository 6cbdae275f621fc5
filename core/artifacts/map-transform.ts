import { fromWgs84, mercatorToWgs84 } from '../raster/crs.js';
import type { Grid } from '../raster/grid.js';
import type { MapGrid } from './map-grid.js';

/** Output pixels between control points, to start with (GDAL's approximate transformer samples rows alike). */
export const CONTROL_STEP = 32;
/** Largest interpolation error accepted, in scene pixels; GDAL's `gdalwarp -et` default is 0.125. */
export const MAX_ERROR_PX = 0.125;
/** Where in a control cell the error is checked, as fractions `(u, v)` of its width and height. */
const CHECKS: ReadonlyArray<[number, number]> = [
  [0.5, 0],
  [0, 0.5],
  [0.5, 0.5],
];
/** The step is halved until the error is met, but not below this. */
const MIN_STEP = 2;

/**
 * Map pixel → scene pixel, for the inverse (pull) resampling of map images: exact at control
 * points, bilinear inside each control cell. Positions are continuous scene pixel coordinates
 * of map pixel centres (`col = 2.5` is the middle of scene column 2).
 */
export interface MapTransform {
  /** Control point spacing used, in map pixels. */
  readonly step: number;
  /** Largest error found where bilinear interpolation is worst in each control cell, in scene pixels. */
  readonly errorPx: number;
  /** The exact scene position of map pixel `(x, y)`'s centre (proj4 for UTM; for tests and control points). */
  exact(x: number, y: number): [number, number];
  /** Fills `cols` and `rows` (length ≥ map width) with the interpolated scene positions of map row `y`. */
  positionsRow(y: number, cols: Float64Array, rows: Float64Array): void;
}

/**
 * The approximate inverse transform from `map` to `grid`: proj4 runs only at control points
 * every `step` map pixels (plus the last row and column), about 17,000 calls for a 4096²
 * image instead of 17 million. The error is measured in every control cell against the exact
 * transform (3 more calls a cell); if it passes `maxErrorPx` the step is halved and the grid
 * rebuilt, as GDAL's approximate transformer subdivides.
 *
 * @example
 * ```ts
 * const transform = createMapTransform(grid, chooseMapGrid(grid));
 * transform.positionsRow(0, cols, rows); // scene positions of the map's top row
 * ```
 */
export function createMapTransform(grid: Grid, map: MapGrid, options: { step?: number; maxErrorPx?: number } = {}): MapTransform {
  const project = fromWgs84(grid.crs);
  const t = grid.transform;
  const exact = (x: number, y: number): [number, number] => {
    const [lon, lat] = mercatorToWgs84(map.bounds[0] + (x + 0.5) * map.pixelSize, map.bounds[3] - (y + 0.5) * map.pixelSize);
    const [sx, sy] = project(lon, lat);
    return [(sx - t.originX) / t.pixelWidth, (sy - t.originY) / t.pixelHeight];
  };
  const maxErrorPx = options.maxErrorPx ?? MAX_ERROR_PX;
  let step = Math.max(1, Math.floor(options.step ?? CONTROL_STEP));
  for (;;) {
    const controls = new ControlGrid(map.width, map.height, step, exact);
    const errorPx = controls.measureError(exact);
    if (errorPx <= maxErrorPx || step <= MIN_STEP) {
      return { step, errorPx, exact, positionsRow: (y, cols, rows) => controls.positionsRow(y, cols, rows) };
    }
    step = Math.max(MIN_STEP, step >> 1);
  }
}

/** Exact scene positions at control points `xs × ys`, interpolated bilinearly between them. */
class ControlGrid {
  private readonly xs: number[];
  private readonly ys: number[];
  private readonly cols: Float64Array;
  private readonly rows: Float64Array;
  /** Control columns interpolated to the current output row. */
  private readonly rowCols: Float64Array;
  private readonly rowRows: Float64Array;

  constructor(width: number, height: number, step: number, exact: (x: number, y: number) => [number, number]) {
    this.xs = controlPositions(width, step);
    this.ys = controlPositions(height, step);
    const nx = this.xs.length;
    this.cols = new Float64Array(nx * this.ys.length);
    this.rows = new Float64Array(nx * this.ys.length);
    this.ys.forEach((y, j) =>
      this.xs.forEach((x, i) => {
        [this.cols[j * nx + i], this.rows[j * nx + i]] = exact(x, y);
      }),
    );
    this.rowCols = new Float64Array(nx);
    this.rowRows = new Float64Array(nx);
  }

  /**
   * Largest |interpolated − exact| in scene pixels, checked at the midpoints of each cell's top
   * and left edges and at its centre: to second order the bilinear error is
   * `a·u(1−u) + b·v(1−v)`, whose extremes over the cell are at exactly those three points.
   */
  measureError(exact: (x: number, y: number) => [number, number]): number {
    const { xs, ys } = this;
    let worst = 0;
    for (let j = 0; j + 1 < ys.length; j++) {
      for (let i = 0; i + 1 < xs.length; i++) {
        for (const [u, v] of CHECKS) {
          const [col, row] = exact(xs[i] + u * (xs[i + 1] - xs[i]), ys[j] + v * (ys[j + 1] - ys[j]));
          const [c, r] = this.at(i, j, u, v);
          // NaN (outside the projection's domain) counts as failure, not as zero error.
          const error = Math.hypot(c - col, r - row);
          worst = Number.isNaN(error) ? Infinity : Math.max(worst, error);
        }
      }
    }
    return worst;
  }

  positionsRow(y: number, cols: Float64Array, rows: Float64Array): void {
    const { xs, ys, rowCols, rowRows } = this;
    const nx = xs.length;
    let j = 0;
    while (j + 2 < ys.length && ys[j + 1] <= y) j++;
    const below = ys.length > 1 ? j + 1 : j;
    const v = below > j ? (y - ys[j]) / (ys[below] - ys[j]) : 0;
    for (let i = 0; i < nx; i++) {
      rowCols[i] = this.cols[j * nx + i] + (this.cols[below * nx + i] - this.cols[j * nx + i]) * v;
      rowRows[i] = this.rows[j * nx + i] + (this.rows[below * nx + i] - this.rows[j * nx + i]) * v;
    }
    if (nx === 1) {
      cols[0] = rowCols[0];
      rows[0] = rowRows[0];
      return;
    }
    for (let i = 0; i + 1 < nx; i++) {
      const x0 = xs[i];
      const span = xs[i + 1] - x0;
      const dc = (rowCols[i + 1] - rowCols[i]) / span;
      const dr = (rowRows[i + 1] - rowRows[i]) / span;
      // Each segment fills up to the next control point, the last one including it.
      const end = i + 2 === nx ? xs[i + 1] : xs[i + 1] - 1;
      for (let x = x0; x <= end; x++) {
        cols[x] = rowCols[i] + dc * (x - x0);
        rows[x] = rowRows[i] + dr * (x - x0);
      }
    }
  }

  /** Bilinear position at fractions `(u, v)` of control cell `(i, j)`. */
  private at(i: number, j: number, u: number, v: number): [number, number] {
    const nx = this.xs.length;
    const k = j * nx + i;
    const lerp2 = (a: Float64Array) => (a[k] * (1 - u) + a[k + 1] * u) * (1 - v) + (a[k + nx] * (1 - u) + a[k + nx + 1] * u) * v;
    return [lerp2(this.cols), lerp2(this.rows)];
  }
}

/** `0, step, 2·step, …` and always the last pixel `size − 1`, so every pixel lies between two. */
function controlPositions(size: number, step: number): number[] {
  const positions: number[] = [];
  for (let p = 0; p < size - 1; p += step) positions.push(p);
  positions.push(size - 1);
  return positions;
}
