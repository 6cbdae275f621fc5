import { describe, expect, it } from 'vitest';
import { groupRunsByBed, labelRuns, summarizeBeds } from '../../../core/analysis/beds.js';
import { traceOutlines } from '../../../core/analysis/outlines.js';
import type { PixelPolygon, Ring } from '../../../core/analysis/outlines.js';
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

/** Outlines of every run in the list. */
function outlineAll(runs: RunList): PixelPolygon[] {
  return traceOutlines(runs, Array.from({ length: runs.length }, (_, i) => i));
}

/** Shoelace area, `Σ (x_i·y_{i+1} − x_{i+1}·y_i) / 2` over the closed ring. */
function ringArea(ring: Ring): number {
  let twice = 0;
  for (let i = 0; i + 1 < ring.length; i++) twice += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return twice / 2;
}

/** Area of the polygons: outer rings minus holes. */
function polygonsArea(polygons: PixelPolygon[]): number {
  return polygons.reduce((sum, p) => sum + ringArea(p.outer) + p.holes.reduce((s, h) => s + ringArea(h), 0), 0);
}

/** Even-odd point-in-ring test (the probe is never on a ring edge: pixel centres). */
function ringContains(ring: Ring, px: number, py: number): boolean {
  let inside = false;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [[xa, ya], [xb, yb]] = [ring[i], ring[i + 1]];
    if (ya > py !== yb > py && px < xa + ((py - ya) * (xb - xa)) / (yb - ya)) inside = !inside;
  }
  return inside;
}

/** How many polygons cover a point: inside the outer ring and in none of its holes. */
function coverCount(polygons: PixelPolygon[], px: number, py: number): number {
  return polygons.filter((p) => ringContains(p.outer, px, py) && !p.holes.some((h) => ringContains(h, px, py))).length;
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

interface RandomCase {
  width: number;
  height: number;
  runs: RunList;
  bedOfRun: Int32Array;
  beds: ReturnType<typeof summarizeBeds>;
  /** Outlines of each bed, by bed id. */
  outlines: PixelPolygon[][];
}

/** Runs `check` on `cases` random masks up to 40 × 40 of varied kelp density (seeded). */
function forRandomMasks(cases: number, check: (c: RandomCase) => void): void {
  const random = mulberry32(424242);
  for (let trial = 0; trial < cases; trial++) {
    const width = 1 + Math.floor(random() * 40);
    const height = 1 + Math.floor(random() * 40);
    const density = 0.2 + random() * 0.6;
    const runs = new RunList();
    for (let row = 0; row < height; row++) {
      appendRowRuns(runs, row, Uint8Array.from({ length: width }, () => (random() < density ? 1 : 0)));
    }
    const { bedOfRun, count } = labelRuns(runs);
    const beds = summarizeBeds(runs, bedOfRun, count);
    const outlines = groupRunsByBed(bedOfRun, count).map((indices) => traceOutlines(runs, indices));
    check({ width, height, runs, bedOfRun, beds, outlines });
  }
}

const isClosed = (ring: Ring): boolean =>
  ring.length >= 5 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1];

const hasRepeatedVertex = (ring: Ring): boolean =>
  ring.some((p, i) => i > 0 && p[0] === ring[i - 1][0] && p[1] === ring[i - 1][1]);

/** True when some vertex lies on the straight line through its neighbours (cyclically). */
function hasCollinearVertex(ring: Ring): boolean {
  const m = ring.length - 1;
  for (let i = 0; i < m; i++) {
    const [a, b, c] = [ring[(i + m - 1) % m], ring[i], ring[(i + 1) % m]];
    if ((a[0] === b[0] && b[0] === c[0]) || (a[1] === b[1] && b[1] === c[1])) return true;
  }
  return false;
}

const square = (x: number, y: number): Ring => [
  [x, y],
  [x + 1, y],
  [x + 1, y + 1],
  [x, y + 1],
  [x, y],
];

describe('traceOutlines', () => {
  it('outlines a single pixel as its square, clockwise on screen from the top-left corner', () => {
    const runs = runsFromArt('...\n.#.');

    const polygons = outlineAll(runs);

    expect(polygons).toEqual([{ outer: square(1, 1), holes: [] }]);
  });

  it('returns nothing for no runs', () => {
    expect(traceOutlines(runsFromArt('#'), [])).toEqual([]);
  });

  it('outlines a rectangle with its four corners only (collinear vertices removed)', () => {
    const runs = runsFromArt('###\n###');

    const [polygon] = outlineAll(runs);

    expect(polygon.outer).toEqual([
      [0, 0],
      [3, 0],
      [3, 2],
      [0, 2],
      [0, 0],
    ]);
  });

  it('splits a diagonal-only pair into two polygons touching at a corner', () => {
    const runs = runsFromArt('#.\n.#');

    const polygons = outlineAll(runs);

    expect(polygons).toEqual([
      { outer: square(0, 0), holes: [] },
      { outer: square(1, 1), holes: [] },
    ]);
  });

  it('splits an anti-diagonal pair the same way', () => {
    const runs = runsFromArt('.#\n#.');

    const polygons = outlineAll(runs);

    expect(polygons).toEqual([
      { outer: square(1, 0), holes: [] },
      { outer: square(0, 1), holes: [] },
    ]);
  });

  it('outlines pixels far apart on a huge grid exactly', () => {
    const runs = new RunList();
    runs.push(0, 0, 1, 1);
    runs.push(2_000_000_000, 2_000_000_000, 2_000_000_002, 2);

    const polygons = outlineAll(runs);

    expect(polygons).toEqual([
      { outer: square(0, 0), holes: [] },
      {
        outer: [
          [2_000_000_000, 2_000_000_000],
          [2_000_000_002, 2_000_000_000],
          [2_000_000_002, 2_000_000_001],
          [2_000_000_000, 2_000_000_001],
          [2_000_000_000, 2_000_000_000],
        ],
        holes: [],
      },
    ]);
  });

  it('outlines a U whose arms join in a later row as one polygon without holes', () => {
    const runs = runsFromArt(`
      #.#
      #.#
      ###`);

    const polygons = outlineAll(runs);

    expect(polygons).toEqual([
      {
        outer: [
          [0, 0],
          [1, 0],
          [1, 2],
          [2, 2],
          [2, 0],
          [3, 0],
          [3, 3],
          [0, 3],
          [0, 0],
        ],
        holes: [],
      },
    ]);
  });

  it('gives a ring of pixels one polygon with one hole of negative area', () => {
    const runs = runsFromArt(`
      ####
      #..#
      ####`);

    const polygons = outlineAll(runs);

    expect(polygons).toHaveLength(1);
    expect(polygons[0].holes).toHaveLength(1);
    expect(ringArea(polygons[0].outer)).toBe(12);
    expect(ringArea(polygons[0].holes[0])).toBe(-2);
    expect(polygonsArea(polygons)).toBe(10);
  });

  it('makes an island inside a hole a separate polygon, not a hole of the hole', () => {
    const runs = runsFromArt(`
      #####
      #...#
      #.#.#
      #...#
      #####`);

    const polygons = outlineAll(runs);

    expect(polygons).toEqual([
      { outer: [[0, 0], [5, 0], [5, 5], [0, 5], [0, 0]], holes: [[[1, 1], [1, 4], [4, 4], [4, 1], [1, 1]]] },
      { outer: square(2, 2), holes: [] },
    ]);
  });

  it('gives each hole to the innermost ring that contains it', () => {
    const runs = runsFromArt(`
      #########
      #.......#
      #.#####.#
      #.#...#.#
      #.#.#.#.#
      #.#...#.#
      #.#####.#
      #.......#
      #########`);

    const polygons = outlineAll(runs);

    expect(polygons.map((p) => [ringArea(p.outer), ...p.holes.map(ringArea)])).toEqual([[81, -49], [25, -9], [1]]);
  });

  it('splits a checkerboard into one square per pixel', () => {
    const runs = runsFromArt(`
      #.#.
      .#.#
      #.#.
      .#.#`);

    const polygons = outlineAll(runs);

    expect(polygons).toHaveLength(8);
    expect(polygons.every((p) => p.holes.length === 0 && ringArea(p.outer) === 1)).toBe(true);
  });

  it('does not make a hole of a gap closed only at corners', () => {
    const runs = runsFromArt(`
      ##.
      #.#
      .##`);

    const polygons = outlineAll(runs);

    expect(polygons.map((p) => [ringArea(p.outer), p.holes.length])).toEqual([
      [3, 0],
      [3, 0],
    ]);
  });

  it('splits a piece that touches itself at a corner into an outer ring and a hole touching it there (valid geometry)', () => {
    const runs = runsFromArt(`
      ###
      #.#
      ##.`);

    const polygons = outlineAll(runs);

    expect(polygons).toHaveLength(1);
    const [{ outer, holes }] = polygons;
    expect(holes).toHaveLength(1);
    for (const ring of [outer, ...holes]) expect(new Set(ring.slice(1).map(String)).size).toBe(ring.length - 1); // simple
    expect(holes[0]).toContainEqual([2, 2]);
    expect(outer).toContainEqual([2, 2]);
    expect(ringArea(outer) + holes.reduce((sum, hole) => sum + ringArea(hole), 0)).toBe(7);
  });

  it('gives every ring of a random bed map no repeated vertex, and the pixel count as area', () => {
    let state = 12345;
    const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const art = Array.from({ length: 40 }, () => Array.from({ length: 40 }, () => (random() < 0.55 ? '#' : '.')).join('')).join('\n');
    const runs = runsFromArt(art);

    const polygons = outlineAll(runs);

    let area = 0;
    for (const { outer, holes } of polygons) {
      for (const ring of [outer, ...holes]) expect(new Set(ring.slice(1).map(String)).size).toBe(ring.length - 1);
      area += ringArea(outer) + holes.reduce((sum, hole) => sum + ringArea(hole), 0);
    }
    expect(area).toBe([...art].filter((c) => c === '#').length);
  });

  it('reaches the last column for runs that end the row', () => {
    const runs = runsFromArt('..##');

    const [polygon] = outlineAll(runs);

    expect(Math.max(...polygon.outer.map(([x]) => x))).toBe(4);
  });

  it('gives the same outline whatever the order of the run indices', () => {
    const runs = runsFromArt(`
      .##.#
      ##.##
      #..#.`);
    const indices = Array.from({ length: runs.length }, (_, i) => i);

    const shuffled = traceOutlines(runs, [...indices].reverse());

    expect(shuffled).toEqual(traceOutlines(runs, indices));
  });

  it('merges runs pushed separately that touch in the same row', () => {
    const runs = new RunList();
    runs.push(0, 0, 2, 2);
    runs.push(0, 2, 3, 1);

    const polygons = outlineAll(runs);

    expect(polygons).toEqual([{ outer: [[0, 0], [3, 0], [3, 1], [0, 1], [0, 0]], holes: [] }]);
  });

  it('outlines each bed of random masks with areas that add up to its pixels', () => {
    forRandomMasks(300, ({ beds, outlines }) => {
      outlines.forEach((polygons, bed) => expect(polygonsArea(polygons)).toBe(beds[bed].pixelCount));
    });
  });

  it('traces closed rings without repeated or collinear consecutive vertices on random masks', () => {
    forRandomMasks(300, ({ outlines }) => {
      const rings = outlines.flat().flatMap((p) => [p.outer, ...p.holes]);

      const bad = rings.filter((ring) => !isClosed(ring) || hasRepeatedVertex(ring) || hasCollinearVertex(ring));

      expect(bad).toEqual([]);
    });
  });

  it('orients outer rings positive and holes negative on random masks', () => {
    forRandomMasks(300, ({ outlines }) => {
      const polygons = outlines.flat();

      expect(polygons.filter((p) => ringArea(p.outer) <= 0)).toEqual([]);
      expect(polygons.flatMap((p) => p.holes).filter((h) => ringArea(h) >= 0)).toEqual([]);
    });
  });

  it('covers exactly the pixels of each bed (and nothing else in its bbox), once, on random masks', () => {
    forRandomMasks(300, ({ width, height, runs, bedOfRun, beds, outlines }) => {
      const bedAt = new Int32Array(width * height).fill(-1);
      for (let i = 0; i < runs.length; i++) bedAt.fill(bedOfRun[i], runs.row(i) * width + runs.x0(i), runs.row(i) * width + runs.x1(i));
      const wrong: string[] = [];

      outlines.forEach((polygons, bed) => {
        const { minX, minY, maxX, maxY } = beds[bed];
        for (let y = minY - 1; y <= maxY; y++) {
          for (let x = minX - 1; x <= maxX; x++) {
            const inBed = x >= 0 && y >= 0 && x < width && y < height && bedAt[y * width + x] === bed;
            if (coverCount(polygons, x + 0.5, y + 0.5) !== (inBed ? 1 : 0)) wrong.push(`bed ${bed} pixel ${x},${y}`);
          }
        }
      });

      expect(wrong).toEqual([]);
    });
  });
});
