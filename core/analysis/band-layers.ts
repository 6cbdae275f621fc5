/**
 * A band's share of the layer images, built in a worker and merged so that every output pixel
 * gets exactly the sum the sequential scan would compute. A layer pixel averages `factor` rows;
 * where a band's edge cuts an output row, floating-point sums computed in two workers and then
 * added would round differently from the sequential order, so the band sends the raw values of
 * those edge rows and the merge adds them in row order. Output rows wholly inside the band are
 * summed in the worker, in the sequential order, and copied.
 */
import type { BandArrays } from './indices/index-plugin.js';
import { LayerAccumulator, type LayerSink, layerSources } from './layers.js';
import type { LayerName } from './options.js';

/** Window rows whose layer inputs travel as they are: their output row is shared with another band. */
export interface EdgeRows {
  y: number;
  rows: number;
  classes: Uint8Array;
  /** Per source of `layerSources(layers)`, the values of those rows (null when the scan has no such band). */
  values: Array<Float32Array | null>;
}

/** What a band contributes to the layers. */
export interface BandLayers {
  head?: EdgeRows;
  /** Whole output rows, the first being output row `outRow`. */
  interior?: { outRow: number; sums: Float32Array[]; counts: Uint32Array };
  tail?: EdgeRows;
}

/** Collects a band's layer contribution strip by strip (the scan calls `add` as it would on the accumulator). */
export class BandLayerSink implements LayerSink {
  private readonly sources: string[];
  private readonly inner: LayerAccumulator | undefined;
  private readonly interiorStart: number;
  private readonly interiorEnd: number;
  private readonly head: EdgeRows | undefined;
  private readonly tail: EdgeRows | undefined;

  /** For window rows `[y0, y1)` of a window `width` × `height` whose layers average `factor` rows. */
  constructor(layers: readonly LayerName[], private readonly width: number, height: number, factor: number, y0: number, y1: number) {
    this.sources = layerSources(layers);
    const start = Math.min(y1, Math.ceil(y0 / factor) * factor);
    const end = Math.max(start, y1 === height ? y1 : Math.floor(y1 / factor) * factor);
    this.interiorStart = start;
    this.interiorEnd = end;
    this.inner = end > start ? new LayerAccumulator(layers, width, end - start, factor) : undefined;
    this.head = start > y0 ? this.edge(y0, start - y0) : undefined;
    this.tail = y1 > end ? this.edge(end, y1 - end) : undefined;
  }

  add(y: number, rows: number, bands: BandArrays, indices: ReadonlyMap<string, Float32Array>, classes: Uint8Array): void {
    const values = this.sources.map((name) => bands.get(name as never) ?? indices.get(name));
    const take = (from: number, to: number, use: (y: number, rows: number, values: Array<Float32Array | undefined>, classes: Uint8Array) => void) => {
      const a = Math.max(from, y);
      const b = Math.min(to, y + rows);
      if (b <= a) return;
      const cut = (array: Float32Array | Uint8Array) => array.subarray((a - y) * this.width, (b - y) * this.width);
      use(a, b - a, values.map((v) => v && (cut(v) as Float32Array)), cut(classes) as Uint8Array);
    };
    for (const edge of [this.head, this.tail]) {
      if (!edge) continue;
      take(edge.y, edge.y + edge.rows, (at, n, vals, cls) => {
        const offset = (at - edge.y) * this.width;
        edge.classes.set(cls, offset);
        vals.forEach((v, k) => (v ? edge.values[k]?.set(v, offset) : (edge.values[k] = null)));
      });
    }
    const inner = this.inner;
    if (inner) {
      take(this.interiorStart, this.interiorEnd, (at, n, vals, cls) => {
        const named = new Map<string, Float32Array>();
        vals.forEach((v, k) => v && named.set(this.sources[k], v));
        inner.add(at - this.interiorStart, n, new Map(), named, cls);
      });
    }
  }

  /** The band's contribution, once every strip was added. */
  result(): BandLayers {
    const factor = this.inner?.size.factor;
    return {
      ...(this.head ? { head: this.head } : {}),
      ...(this.inner && factor ? { interior: { outRow: this.interiorStart / factor, ...this.inner.export() } } : {}),
      ...(this.tail ? { tail: this.tail } : {}),
    };
  }

  private edge(y: number, rows: number): EdgeRows {
    return { y, rows, classes: new Uint8Array(rows * this.width), values: this.sources.map(() => new Float32Array(rows * this.width)) };
  }
}

/** Adds a band's contribution to the scene's accumulator; bands must come in row order. */
export function mergeBandLayers(into: LayerAccumulator, band: BandLayers, sources: readonly string[]): void {
  const replay = (edge: EdgeRows) => {
    const named = new Map<string, Float32Array>();
    edge.values.forEach((values, k) => values && named.set(sources[k], values));
    into.add(edge.y, edge.rows, new Map(), named, edge.classes);
  };
  if (band.head) replay(band.head);
  if (band.interior) into.placeRows(band.interior.outRow, band.interior);
  if (band.tail) replay(band.tail);
}
