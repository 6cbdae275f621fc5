import { InvalidRequestError } from '../errors.js';
import type { PixelWindow } from '../raster/grid.js';

/** Checks `window` is a whole-pixel rectangle inside a `width` × `height` grid (`what` names the grid, e.g. "10 m"). */
export function checkWindow(window: PixelWindow, width: number, height: number, what: string): void {
  const { x0, y0, width: w, height: h } = window;
  const whole = [x0, y0, w, h].every((v) => Number.isInteger(v));
  if (!whole || x0 < 0 || y0 < 0 || w < 1 || h < 1 || x0 + w > width || y0 + h > height) {
    throw new InvalidRequestError(`window ${JSON.stringify(window)} is not inside the ${width} × ${height} ${what} grid`, {
      window,
      width,
      height,
    });
  }
}
