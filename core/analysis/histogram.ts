/**
 * A fixed-bin streaming histogram for robust scene statistics (medians, percentiles) without
 * holding the values. Values outside `[min, max)` are clamped into the end bins.
 */
export class Histogram {
  private readonly counts: Float64Array;
  private total = 0;

  constructor(
    readonly min: number,
    readonly max: number,
    readonly bins: number,
  ) {
    this.counts = new Float64Array(bins);
  }

  get count(): number {
    return this.total;
  }

  add(value: number): void {
    if (!Number.isFinite(value)) return;
    const bin = Math.min(this.bins - 1, Math.max(0, Math.floor(((value - this.min) / (this.max - this.min)) * this.bins)));
    this.counts[bin]++;
    this.total++;
  }

  /** A copy of the count per bin (e.g. to hand to another thread). */
  binCounts(): Float64Array {
    return this.counts.slice();
  }

  /** Adds counts per bin of a histogram with the same range and bins (`binCounts` of another). */
  addCounts(counts: ArrayLike<number>): void {
    if (counts.length !== this.bins) throw new RangeError(`expected ${this.bins} bins, got ${counts.length}`);
    for (let bin = 0; bin < this.bins; bin++) {
      this.counts[bin] += counts[bin];
      this.total += counts[bin];
    }
  }

  /** The value below which fraction `p` (0–1) of the values fall, to bin resolution; NaN when empty. */
  quantile(p: number): number {
    if (this.total === 0) return NaN;
    const target = p * this.total;
    let seen = 0;
    const width = (this.max - this.min) / this.bins;
    for (let bin = 0; bin < this.bins; bin++) {
      const next = seen + this.counts[bin];
      if (next >= target && this.counts[bin] > 0) {
        return this.min + (bin + (target - seen) / this.counts[bin]) * width;
      }
      seen = next;
    }
    return this.max;
  }
}
