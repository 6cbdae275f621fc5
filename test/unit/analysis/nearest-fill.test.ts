import { describe, expect, it } from 'vitest';
import { fillFromNearest } from '../../../core/analysis/nearest-fill.js';

/** The definition, searched ring by ring outwards (the first version, kept as the oracle). */
function ringSearch(cells: Float32Array, across: number): void {
  const down = cells.length / across;
  const source = Float32Array.from(cells);
  for (let c = 0; c < cells.length; c++) {
    if (!Number.isNaN(source[c])) continue;
    const cx = c % across;
    const cy = (c - cx) / across;
    let found = NaN;
    for (let d = 1; d < Math.max(across, down) && Number.isNaN(found); d++) {
      for (let ny = cy - d; ny <= cy + d && Number.isNaN(found); ny++) {
        for (let nx = cx - d; nx <= cx + d; nx++) {
          if (nx < 0 || ny < 0 || nx >= across || ny >= down) continue;
          if (Math.max(Math.abs(nx - cx), Math.abs(ny - cy)) !== d) continue;
          const v = source[ny * across + nx];
          if (!Number.isNaN(v)) {
            found = v;
            break;
          }
        }
      }
    }
    cells[c] = found;
  }
}

/** A reproducible pseudo-random stream (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('fillFromNearest', () => {
  it('takes the nearest measured cell, ties to the first in row-major order', () => {
    const cells = Float32Array.of(NaN, 2, NaN, NaN, NaN, 7);
    fillFromNearest(cells, 3);
    expect([...cells]).toEqual([2, 2, 2, 2, 2, 7]);
  });

  it('leaves a grid with no measured cell NaN', () => {
    const cells = new Float32Array(12).fill(NaN);
    fillFromNearest(cells, 4);
    expect(cells.every(Number.isNaN)).toBe(true);
  });

  it('agrees with the ring-by-ring search on random grids of every density and shape', () => {
    const next = random(7);
    for (let trial = 0; trial < 400; trial++) {
      const across = 1 + Math.floor(next() * 40);
      const down = 1 + Math.floor(next() * 9);
      const density = [0.01, 0.05, 0.3, 0.9][trial % 4];
      const cells = Float32Array.from({ length: across * down }, () => (next() < density ? Math.round(next() * 1000) : NaN));
      const expected = Float32Array.from(cells);
      ringSearch(expected, across);
      fillFromNearest(cells, across);
      expect([...cells], `trial ${trial}: ${across} × ${down}`).toEqual([...expected]);
    }
  });
});
