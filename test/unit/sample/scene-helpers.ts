/**
 * Shared helpers for the sample-scene tests: reading whole scenes and summarising truth.
 */
import type { BandName } from '../../../core/analysis/bands.js';
import type { PixelWindow } from '../../../core/raster/grid.js';
import type { SampleScene } from '../../../core/sample/scene.js';

/** Every band of the sample scene, 10 m ones first. */
export const ALL_BANDS: readonly BandName[] = ['B02', 'B03', 'B04', 'B08', 'B05', 'B06', 'B11', 'B12', 'SCL'];

/** The whole 10 m grid of `scene` as a window. */
export function fullWindow(scene: SampleScene): PixelWindow {
  return { x0: 0, y0: 0, width: scene.grid.width, height: scene.grid.height };
}

/** The whole 20 m grid of `scene` as a window. */
export function fullWindow20(scene: SampleScene): PixelWindow {
  return { x0: 0, y0: 0, width: Math.ceil(scene.grid.width / 2), height: Math.ceil(scene.grid.height / 2) };
}

/** Copies `inner` (a window inside `outer`) out of an array laid out over `outer`. */
export function cutWindow<T extends Uint8Array | Uint16Array | Float32Array>(
  values: T,
  outer: PixelWindow,
  inner: PixelWindow,
): T {
  const out = new (values.constructor as new (n: number) => T)(inner.width * inner.height);
  for (let row = 0; row < inner.height; row++) {
    const from = (inner.y0 - outer.y0 + row) * outer.width + (inner.x0 - outer.x0);
    out.set(values.subarray(from, from + inner.width), row * inner.width);
  }
  return out;
}

/** Index of the first differing element, or -1 (deep equality is slow on big arrays). */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return i;
  return -1;
}

/** Sizes of the 8-connected components of pixels where `isOn(i)`, on a `width` × `height` grid. */
export function componentSizes(width: number, height: number, isOn: (index: number) => boolean): number[] {
  const seen = new Uint8Array(width * height);
  const sizes: number[] = [];
  const stack: number[] = [];
  for (let start = 0; start < width * height; start++) {
    if (seen[start] || !isOn(start)) continue;
    seen[start] = 1;
    stack.push(start);
    let size = 0;
    while (stack.length) {
      const p = stack.pop() as number;
      size++;
      const x = p % width;
      const y = (p - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const q = ny * width + nx;
          if (!seen[q] && isOn(q)) {
            seen[q] = 1;
            stack.push(q);
          }
        }
      }
    }
    sizes.push(size);
  }
  return sizes;
}
