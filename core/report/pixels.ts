import { PIXEL_CLASSES } from './labels.js';

/** Pixel counts of a result (`result.pixels`); classes a newer result adds are kept as "other". */
export type PixelCounts = Partial<Record<(typeof PIXEL_CLASSES)[number]['key'] | 'total' | 'valid', number>> & Record<string, unknown>;

/** One class of the scene's pixels and its share of all of them. */
export interface PixelShare {
  key: string;
  label: string;
  note: string;
  pixels: number;
  /** 0–1 of `pixels.total`. */
  share: number;
}

/**
 * What the analysis could see: the scene's pixels by class (kelp, open water, coastal strip, land,
 * cloud, shadow, no data), each with its share of the total, in the order a bar shows them.
 * Pixels no class accounts for (a class a newer result adds) come last as "other".
 *
 * @example
 * ```ts
 * pixelShares({ total: 100, kelp: 5, water: 60, land: 30, cloud: 5 }).map((s) => s.share); // [0.05, 0.6, 0.3, 0.05]
 * ```
 */
export function pixelShares(pixels: PixelCounts): PixelShare[] {
  const count = (key: string) => (typeof pixels[key] === 'number' && Number.isFinite(pixels[key]) ? Math.max(0, pixels[key] as number) : 0);
  const classes = PIXEL_CLASSES.map((c) => ({ key: c.key as string, label: c.label as string, note: c.note as string, pixels: count(c.key) }));
  const counted = classes.reduce((sum, c) => sum + c.pixels, 0);
  const total = Math.max(count('total'), counted);
  if (total > counted) classes.push({ key: 'other', label: 'other', note: 'masked for another reason', pixels: total - counted });
  return classes.filter((c) => c.pixels > 0).map((c) => ({ ...c, share: total ? c.pixels / total : 0 }));
}

/** The share of the scene the analysis could look at for kelp (open water and kelp), 0–1. */
export function observableShare(pixels: PixelCounts): number {
  const total = typeof pixels.total === 'number' ? pixels.total : 0;
  const seen = (typeof pixels.water === 'number' ? pixels.water : 0) + (typeof pixels.kelp === 'number' ? pixels.kelp : 0);
  return total > 0 ? seen / total : 0;
}
