/**
 * Rasterizes the discrete features of a layout (kelp beds, tiny beds, clouds, cloud shadows,
 * glint patches) into per-pixel arrays over a window, visiting only the features whose bounds
 * meet it. Overlaps combine by maximum, so the order of features does not matter.
 */
import type { PixelWindow } from '../raster/grid.js';
import { createBedScratch, fillBedRow } from './beds.js';
import { cloudBounds, createBlobScratch, fillCloudRow, fillGlintRow, glintBounds } from './blobs.js';
import type { SceneLayout } from './layout.js';
import { applyCanopyBrightnessRow } from './variation.js';

/** Per-pixel feature values over a window, row-major. */
export interface FeatureRasters {
  /** Canopy fraction, 0–1. */
  fraction: Float32Array;
  /** Canopy contrast factor of the bed that gave `fraction` (1 where none). */
  contrast: Float32Array;
  /** Cloud density, 0–1. */
  cloud: Float32Array;
  /** Shadow strength, 0–1. */
  shadow: Float32Array;
  /** Additive glint reflectance. */
  glint: Float32Array;
}

type Bounds = readonly [number, number, number, number];

/**
 * Calls `fill(col0, count, row, span)` for each row of `bounds` inside `window`, then takes the
 * maximum of `span[k]` into `target`; returns nothing when they do not meet.
 */
function rasterizeMax(
  window: PixelWindow,
  bounds: Bounds,
  span: Float32Array,
  target: Float32Array,
  fill: (col0: number, count: number, row: number) => void,
  onRaise?: (index: number) => void,
): void {
  const x0 = Math.max(window.x0, bounds[0]);
  const y0 = Math.max(window.y0, bounds[1]);
  const x1 = Math.min(window.x0 + window.width, bounds[2]);
  const y1 = Math.min(window.y0 + window.height, bounds[3]);
  const count = x1 - x0;
  if (count <= 0 || y1 <= y0) return;
  for (let row = y0; row < y1; row++) {
    fill(x0, count, row);
    const base = (row - window.y0) * window.width + (x0 - window.x0);
    for (let k = 0; k < count; k++) {
      if (span[k] > target[base + k]) {
        target[base + k] = span[k];
        onRaise?.(base + k);
      }
    }
  }
}

/**
 * The feature rasters of `window`.
 *
 * @example
 * ```ts
 * const { fraction, cloud } = rasterizeFeatures(layout, { x0: 0, y0: 0, width: 256, height: 128 });
 * ```
 */
export function rasterizeFeatures(layout: SceneLayout, window: PixelWindow): FeatureRasters {
  const n = window.width * window.height;
  const rasters: FeatureRasters = {
    fraction: new Float32Array(n),
    contrast: new Float32Array(n).fill(1),
    cloud: new Float32Array(n),
    shadow: new Float32Array(n),
    glint: new Float32Array(n),
  };
  const span = new Float32Array(window.width);
  const bedScratch = createBedScratch(window.width);
  const blobScratch = createBlobScratch(window.width);
  for (const bed of layout.beds) {
    rasterizeMax(
      window,
      bed.bounds,
      span,
      rasters.fraction,
      (col0, count, row) => fillBedRow(bed, col0, count, row, span, bedScratch),
      (index) => {
        rasters.contrast[index] = bed.contrast;
      },
    );
  }
  for (const tiny of layout.tinyBeds) {
    rasterizeMax(window, [tiny.x, tiny.y, tiny.x + 2, tiny.y + 2], span, rasters.fraction, (col0, count, row) => {
      for (let k = 0; k < count; k++) {
        span[k] = col0 + k - tiny.x + 2 * (row - tiny.y) < tiny.pixels ? tiny.fraction : 0;
      }
    });
  }
  if (layout.natural) {
    const scratch = new Float64Array(window.width);
    for (let j = 0; j < window.height; j++) {
      applyCanopyBrightnessRow(layout.natural, window.x0, window.width, window.y0 + j, rasters.fraction, rasters.contrast, j * window.width, scratch);
    }
  }
  for (const cloud of layout.clouds) {
    if (layout.features.cloud) {
      rasterizeMax(window, cloudBounds(cloud, false), span, rasters.cloud, (col0, count, row) =>
        fillCloudRow(cloud, false, col0, count, row, span, blobScratch),
      );
    }
    if (layout.features.shadow) {
      rasterizeMax(window, cloudBounds(cloud, true), span, rasters.shadow, (col0, count, row) =>
        fillCloudRow(cloud, true, col0, count, row, span, blobScratch),
      );
    }
  }
  if (layout.features.glint) {
    for (const patch of layout.glints) {
      rasterizeMax(window, glintBounds(patch), span, rasters.glint, (col0, count, row) =>
        fillGlintRow(patch, col0, count, row, span, blobScratch.texture),
      );
    }
  }
  return rasters;
}
