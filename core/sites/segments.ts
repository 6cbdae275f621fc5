import type { LonLat } from '../analysis/aoi-mask.js';

/**
 * Where two closed rings (or one ring with itself, `same`) cross or touch, or undefined: every
 * pair of edges is tested (with a box test first), except neighbouring edges of one ring, which
 * share their vertex by construction. Touching counts: a ring pinched at a vertex has no single
 * inside either. Planar in lon/lat, which is exact for "do these straight edges meet".
 *
 * @example
 * ```ts
 * ringsCross(bowTie, bowTie, true); // [lon, lat] of the crossing
 * ```
 */
export function ringsCross(a: readonly LonLat[], b: readonly LonLat[], same: boolean): LonLat | undefined {
  const edgesA = a.length - 1;
  const edgesB = b.length - 1;
  for (let i = 0; i < edgesA; i++) {
    for (let j = same ? i + 1 : 0; j < edgesB; j++) {
      if (same && (j === i + 1 || (i === 0 && j === edgesA - 1))) continue;
      const hit = segmentsMeet(a[i], a[i + 1], b[j], b[j + 1]);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** A point where segments p1–p2 and q1–q2 meet (crossing, touching or overlapping), or undefined. */
function segmentsMeet(p1: LonLat, p2: LonLat, q1: LonLat, q2: LonLat): LonLat | undefined {
  if (Math.max(p1[0], p2[0]) < Math.min(q1[0], q2[0]) || Math.max(q1[0], q2[0]) < Math.min(p1[0], p2[0])) return undefined;
  if (Math.max(p1[1], p2[1]) < Math.min(q1[1], q2[1]) || Math.max(q1[1], q2[1]) < Math.min(p1[1], p2[1])) return undefined;
  const d1 = orient(q1, q2, p1);
  const d2 = orient(q1, q2, p2);
  const d3 = orient(p1, p2, q1);
  const d4 = orient(p1, p2, q2);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    const f = d1 / (d1 - d2);
    return [p1[0] + f * (p2[0] - p1[0]), p1[1] + f * (p2[1] - p1[1])];
  }
  if (d1 === 0 && onSegment(q1, q2, p1)) return p1;
  if (d2 === 0 && onSegment(q1, q2, p2)) return p2;
  if (d3 === 0 && onSegment(p1, p2, q1)) return q1;
  if (d4 === 0 && onSegment(p1, p2, q2)) return q2;
  return undefined;
}

/** Twice the signed area of triangle a, b, c: > 0 when c is left of a→b. */
function orient(a: LonLat, b: LonLat, c: LonLat): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

/** Whether c, collinear with a–b, lies on the segment. */
function onSegment(a: LonLat, b: LonLat, c: LonLat): boolean {
  return c[0] >= Math.min(a[0], b[0]) && c[0] <= Math.max(a[0], b[0]) && c[1] >= Math.min(a[1], b[1]) && c[1] <= Math.max(a[1], b[1]);
}
