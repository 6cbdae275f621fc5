import { describe, expect, it } from 'vitest';
import { RunList, appendRowRuns } from '../../../core/analysis/runs.js';

/** Mask rows from ASCII art: `#` is kelp (1), `.` is not (0), `x` is nodata (255). */
function maskRows(art: string): Uint8Array[] {
  const codes: Record<string, number> = { '#': 1, '.': 0, x: 255 };
  return art
    .trim()
    .split('\n')
    .map((line) => Uint8Array.from(line.trim(), (c) => codes[c]));
}

/** Every run as `[row, x0, x1, weight]`. */
function listRuns(runs: RunList): number[][] {
  return Array.from({ length: runs.length }, (_, i) => [runs.row(i), runs.x0(i), runs.x1(i), runs.weight(i)]);
}

describe('appendRowRuns', () => {
  it('turns a single kelp pixel into one run of weight 1', () => {
    const runs = new RunList();

    appendRowRuns(runs, 3, maskRows('..#..')[0]);

    expect(listRuns(runs)).toEqual([[3, 2, 3, 1]]);
  });

  it('keeps runs that start at the first column and end at the last', () => {
    const runs = new RunList();

    appendRowRuns(runs, 0, maskRows('##..###')[0]);

    expect(listRuns(runs)).toEqual([
      [0, 0, 2, 2],
      [0, 4, 7, 3],
    ]);
  });

  it('treats every value other than 1 as not kelp', () => {
    const runs = new RunList();

    appendRowRuns(runs, 0, maskRows('#x#.#')[0]);

    expect(listRuns(runs).map(([, x0, x1]) => [x0, x1])).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
  });

  it('adds nothing for a row without kelp', () => {
    const runs = new RunList();

    appendRowRuns(runs, 0, maskRows('..x..')[0]);

    expect(runs.length).toBe(0);
  });

  it('sums the per-pixel weights over each run', () => {
    const runs = new RunList();
    const weights = Float32Array.of(0.5, 0.25, 0.9, 0.125, 0.75);

    appendRowRuns(runs, 0, maskRows('##.##')[0], weights);

    expect(listRuns(runs).map(([, , , w]) => w)).toEqual([0.75, 0.875]);
  });
});

describe('RunList', () => {
  it('grows past its initial capacity without losing runs', () => {
    const runs = new RunList();

    for (let row = 0; row < 5000; row++) runs.push(row, row % 7, (row % 7) + 2, row / 2);

    expect(runs.length).toBe(5000);
    expect([runs.row(4321), runs.x0(4321), runs.x1(4321), runs.weight(4321)]).toEqual([4321, 2, 4, 2160.5]);
  });

  it('accepts runs that touch end to start in the same row', () => {
    const runs = new RunList();
    runs.push(0, 0, 2, 2);

    runs.push(0, 2, 4, 2);

    expect(runs.length).toBe(2);
  });

  it('rejects a run from an earlier row', () => {
    const runs = new RunList();
    runs.push(5, 0, 1, 1);

    expect(() => runs.push(4, 3, 4, 1)).toThrow(RangeError);
  });

  it('rejects a run that overlaps the previous one in its row', () => {
    const runs = new RunList();
    runs.push(5, 2, 6, 4);

    expect(() => runs.push(5, 5, 8, 3)).toThrow(RangeError);
  });

  it('rejects an empty run', () => {
    const runs = new RunList();

    expect(() => runs.push(0, 3, 3, 0)).toThrow(RangeError);
  });
});
