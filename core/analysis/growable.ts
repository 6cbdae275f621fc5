/** An append-only Float32 array that doubles its capacity; memory proportional to what is pushed. */
export class GrowableFloat32 {
  private data = new Float32Array(1024);
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(value: number): void {
    if (this.size === this.data.length) {
      const bigger = new Float32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.size++] = value;
  }

  /** Appends every value of `values`. */
  pushAll(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) this.push(values[i]);
  }

  get(index: number): number {
    return this.data[index];
  }

  /** A view of the pushed values (valid until the next push). */
  view(): Float32Array {
    return this.data.subarray(0, this.size);
  }
}
