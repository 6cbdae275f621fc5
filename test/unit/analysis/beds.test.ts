import { describe, expect, it } from 'vitest';
import { groupRunsByBed, labelRuns, summarizeBeds } from '../../../core/analysis/beds.js';
import { RunList, appendRowRuns } from '../../../core/analysis/runs.js';

/** Runs from ASCII art: `#` is kelp, `.` is not; one line per row. */
function runsFromArt(art: string): RunList {
  const runs = new RunList();
  art
    .trim()
    .split('\n')
    .forEach((line, row) => appendRowRuns(runs, row, Uint8Array.from(line.trim(), (c) => (c === '#' ? 1 : 0))));
  return runs;
}

/** The bed of each kelp pixel drawn as art: bed 0 as `a`, 1 as `b`, …; `.` for not kelp. */
function drawBeds(runs: RunList, bedOfRun: Int32Array, width: number, height: number): string {
  const cells = Array.from({ length: height }, () => Array<string>(width).fill('.'));
  for (let i = 0; i < runs.length; i++) {
    for (let x = runs.x0(i); x < runs.x1(i); x++) cells[runs.row(i)][x] = String.fromCharCode(97 + bedOfRun[i]);
  }
  return cells.map((r) => r.join('')).join('\n');
}

/** Deterministic PRNG (mulberry32) so random cases repeat. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Brute-force 8-connected flood fill, beds numbered in raster order; -1 for not kelp. */
function floodFill(mask: Uint8Array[], width: number, height: number): Int32Array {
  const label = new Int32Array(width * height).fill(-1);
  let next = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (mask[y][x] !== 1 || label[y * width + x] >= 0) continue;
      const stack = [[x, y]];
      label[y * width + x] = next;
      while (stack.length > 0) {
        const [cx, cy] = stack.pop()!;
        for (let ny = cy - 1; ny <= cy + 1; ny++) {
          for (let nx = cx - 1; nx <= cx + 1; nx++) {
            if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
            if (mask[ny][nx] !== 1 || label[ny * width + nx] >= 0) continue;
            label[ny * width + nx] = next;
            stack.push([nx, ny]);
          }
        }
      }
      next++;
    }
  }
  return label;
}

describe('labelRuns', () => {
  it('makes one bed of a single pixel', () => {
    const runs = runsFromArt('.#.');

    const { bedOfRun, count } = labelRuns(runs);

    expect([...bedOfRun]).toEqual([0]);
    expect(count).toBe(1);
  });

  it('finds no beds in an empty run list', () => {
    expect(labelRuns(new RunList()).count).toBe(0);
  });

  it('joins pixels that touch only at a corner, which 4-connectivity would keep apart', () => {
    const runs = runsFromArt(`
      #..
      .#.
      ..#`);

    const { count } = labelRuns(runs);

    expect(count).toBe(1);
  });

  it('keeps apart pixels a knight move or a one-pixel gap away (not 8-neighbours)', () => {
    const runs = runsFromArt(`
      #.#..
      ...#.`);

    const { bedOfRun, count } = labelRuns(runs);

    expect(count).toBe(2);
    expect(drawBeds(runs, bedOfRun, 5, 2)).toBe('a.b..\n...b.');
  });

  it('joins the arms of a U in the row where they meet', () => {
    const runs = runsFromArt(`
      #...#
      #...#
      #...#
      .###.`);

    const { bedOfRun, count } = labelRuns(runs);

    expect(count).toBe(1);
    expect(drawBeds(runs, bedOfRun, 5, 4)).toBe('a...a\na...a\na...a\n.aaa.');
  });

  it('numbers beds by first appearance, top to bottom then left to right', () => {
    const runs = runsFromArt(`
      ...#..#
      #......
      .......
      ###.#.#`);

    const { bedOfRun } = labelRuns(runs);

    expect(drawBeds(runs, bedOfRun, 7, 4)).toBe('...a..b\nc......\n.......\nddd.e.f');
  });

  it('keeps first-appearance numbering when a later run joins two beds', () => {
    const runs = runsFromArt(`
      #.#.#
      #.#.#
      .#.#.`);

    const { bedOfRun, count } = labelRuns(runs);

    expect(count).toBe(1);
    expect([...new Set(bedOfRun)]).toEqual([0]);
  });

  it('makes one bed of a checkerboard', () => {
    const runs = runsFromArt(`
      #.#.#.
      .#.#.#
      #.#.#.
      .#.#.#`);

    const { count } = labelRuns(runs);

    expect(count).toBe(1);
  });

  it('joins runs pushed separately that touch in the same row', () => {
    const runs = new RunList();
    runs.push(0, 0, 2, 2);
    runs.push(0, 2, 3, 1);
    runs.push(2, 0, 1, 1);

    const { bedOfRun, count } = labelRuns(runs);

    expect(count).toBe(2);
    expect([...bedOfRun]).toEqual([0, 0, 1]);
  });

  it('labels a million runs across full-width rows, every run in a bed', () => {
    const random = mulberry32(1);
    const runs = new RunList();
    let row = 0;
    let x = 0;
    for (let i = 0; i < 1_000_000; i++) {
      x += 1 + Math.floor(random() * 4);
      if (x >= 10_979) [row, x] = [row + 1, Math.floor(random() * 3)];
      const x1 = Math.min(x + 1 + Math.floor(random() * 4), 10_980);
      runs.push(row, x, x1, x1 - x);
      x = x1;
    }

    const { bedOfRun, count } = labelRuns(runs);

    expect(count).toBeGreaterThan(0);
    expect(bedOfRun.every((bed) => bed >= 0 && bed < count)).toBe(true);
  });

  it('agrees with a brute-force flood fill on random masks', () => {
    const random = mulberry32(20240611);
    for (let trial = 0; trial < 300; trial++) {
      const width = 1 + Math.floor(random() * 40);
      const height = 1 + Math.floor(random() * 40);
      const density = 0.2 + random() * 0.6;
      const mask = Array.from({ length: height }, () => Uint8Array.from({ length: width }, () => (random() < density ? 1 : 0)));
      const runs = new RunList();
      mask.forEach((maskRow, row) => appendRowRuns(runs, row, maskRow));

      const { bedOfRun, count } = labelRuns(runs);

      const expected = floodFill(mask, width, height);
      const actual = new Int32Array(width * height).fill(-1);
      for (let i = 0; i < runs.length; i++) actual.fill(bedOfRun[i], runs.row(i) * width + runs.x0(i), runs.row(i) * width + runs.x1(i));
      expect(actual).toEqual(expected);
      expect(count).toBe(Math.max(-1, ...expected) + 1);
    }
  });
});

describe('summarizeBeds', () => {
  it('reports pixels, runs and an exclusive bounding box per bed', () => {
    const runs = runsFromArt(`
      .##....
      ..###.#
      ....#..`);
    const { bedOfRun, count } = labelRuns(runs);

    const beds = summarizeBeds(runs, bedOfRun, count);

    expect(beds).toEqual([
      { id: 0, pixelCount: 6, weightSum: 6, runCount: 3, minX: 1, minY: 0, maxX: 5, maxY: 3 },
      { id: 1, pixelCount: 1, weightSum: 1, runCount: 1, minX: 6, minY: 1, maxX: 7, maxY: 2 },
    ]);
  });

  it('sums the run weights of each bed', () => {
    const runs = new RunList();
    appendRowRuns(runs, 0, Uint8Array.of(1, 1, 0, 0, 1), Float32Array.of(0.5, 0.25, 0, 0, 1));
    appendRowRuns(runs, 1, Uint8Array.of(0, 1, 0, 0, 0), Float32Array.of(0, 0.125, 0, 0, 0));
    const { bedOfRun, count } = labelRuns(runs);

    const beds = summarizeBeds(runs, bedOfRun, count);

    expect(beds.map((b) => b.weightSum)).toEqual([0.875, 1]);
  });

  it('accounts for every kelp pixel across the beds of random masks', () => {
    const random = mulberry32(7);
    for (let trial = 0; trial < 100; trial++) {
      const runs = new RunList();
      let kelp = 0;
      for (let row = 0; row < 30; row++) {
        const maskRow = Uint8Array.from({ length: 30 }, () => (random() < 0.45 ? 1 : 0));
        kelp += maskRow.reduce((s, v) => s + v, 0);
        appendRowRuns(runs, row, maskRow);
      }
      const { bedOfRun, count } = labelRuns(runs);

      const beds = summarizeBeds(runs, bedOfRun, count);

      expect(beds.reduce((s, b) => s + b.pixelCount, 0)).toBe(kelp);
      expect(beds.reduce((s, b) => s + b.runCount, 0)).toBe(runs.length);
    }
  });
});

describe('groupRunsByBed', () => {
  it('lists each bed’s runs in ascending order', () => {
    const runs = runsFromArt(`
      #.#
      #.#
      .#.
      ..#`);
    const { bedOfRun, count } = labelRuns(runs);

    const groups = groupRunsByBed(bedOfRun, count).map((g) => [...g]);

    expect(groups).toEqual([[0, 1, 2, 3, 4, 5]]);
  });

  it('groups interleaved beds', () => {
    const bedOfRun = Int32Array.of(0, 1, 0, 2, 1, 0);

    const groups = groupRunsByBed(bedOfRun, 3).map((g) => [...g]);

    expect(groups).toEqual([[0, 2, 5], [1, 4], [3]]);
  });
});
