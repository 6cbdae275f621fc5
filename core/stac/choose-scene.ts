import type { LonLatBbox, StacItem } from '../ports/scene-catalog.js';

/** How much of the AOI an item's footprint covers. */
export type Coverage = 'full' | 'partial' | 'none';

type Ring = Array<[number, number]>;

/** The outer rings of an item's footprint (Polygon or MultiPolygon), else its bbox as a ring. */
function footprint(item: StacItem): Ring[] {
  const geometry = item.geometry;
  if (geometry?.type === 'Polygon') return [(geometry.coordinates as Ring[])[0]];
  if (geometry?.type === 'MultiPolygon') return (geometry.coordinates as Ring[][]).map((polygon) => polygon[0]);
  if (item.bbox && item.bbox.length >= 4) {
    const [w, s, e, n] = item.bbox.length === 6 ? [item.bbox[0], item.bbox[1], item.bbox[3], item.bbox[4]] : item.bbox;
    return [[[w, s], [e, s], [e, n], [w, n], [w, s]]];
  }
  return [];
}

/** Ray casting in lon/lat; points on the edge may go either way (fine for choosing scenes and for sites' rings). */
export function inRing([x, y]: readonly [number, number], ring: readonly (readonly [number, number])[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Sample points of a bbox: corners, edge midpoints and centre. */
function samplePoints([w, s, e, n]: LonLatBbox): Array<[number, number]> {
  const mx = (w + e) / 2;
  const my = (s + n) / 2;
  return [[w, s], [e, s], [e, n], [w, n], [mx, s], [mx, n], [w, my], [e, my], [mx, my]];
}

/**
 * Whether an item's footprint covers the AOI: `full` when every corner, edge midpoint and the
 * centre of the AOI lie inside it (AOIs are small next to a 110 km tile), `partial` when some
 * do or the boxes overlap, `none` otherwise.
 */
export function coverage(item: StacItem, aoi: LonLatBbox): Coverage {
  const rings = footprint(item);
  if (rings.length === 0) return 'partial';
  const inside = samplePoints(aoi).filter((point) => rings.some((ring) => inRing(point, ring))).length;
  if (inside === 9) return 'full';
  if (inside > 0) return 'partial';
  // No sample point inside, but a footprint corner inside the AOI: the footprint's edge crosses it.
  return rings.some((ring) => ring.some((point) => inBox(point, aoi))) ? 'partial' : 'none';
}

function inBox([x, y]: [number, number], [w, s, e, n]: LonLatBbox): boolean {
  return x >= w && x <= e && y >= s && y <= n;
}

const cloudOf = (item: StacItem) => item.properties['eo:cloud_cover'] ?? 100;

/**
 * The scene to analyse: the least cloudy one that covers the whole AOI; failing that, the least
 * cloudy one covering part of it (`partial` says so). Ties go to the newest. Undefined when no
 * item touches the AOI.
 *
 * @example
 * ```ts
 * const choice = chooseScene(items, aoi); // { item, coverage: 'full' }
 * ```
 */
export function chooseScene(items: readonly StacItem[], aoi: LonLatBbox): { item: StacItem; coverage: Coverage } | undefined {
  const ranked = rank(items, aoi);
  return ranked.find((entry) => entry.coverage === 'full') ?? ranked.find((entry) => entry.coverage === 'partial');
}

function rank(items: readonly StacItem[], aoi: LonLatBbox) {
  const time = (item: StacItem) => Date.parse(item.properties.datetime ?? '') || 0;
  return items
    .map((item) => ({ item, coverage: coverage(item, aoi) }))
    .sort((a, b) => cloudOf(a.item) - cloudOf(b.item) || time(b.item) - time(a.item));
}

/**
 * Every usable scene for a series, oldest first: items touching the AOI, one per acquisition
 * day and collection (the same pass can appear as two overlapping MGRS tiles or WRS rows, or two
 * processings; a Sentinel-2 and a Landsat scene of one day are two observations): the one
 * covering the whole AOI, else the least cloudy.
 */
export function usableScenes(items: readonly StacItem[], aoi: LonLatBbox): Array<{ item: StacItem; coverage: Coverage }> {
  const byDay = new Map<string, { item: StacItem; coverage: Coverage }>();
  for (const entry of rank(items, aoi)) {
    if (entry.coverage === 'none') continue;
    const day = `${(entry.item.properties.datetime ?? '').slice(0, 10)} ${entry.item.collection ?? ''}`;
    const kept = byDay.get(day);
    if (!kept || (kept.coverage !== 'full' && entry.coverage === 'full')) byDay.set(day, entry);
  }
  return [...byDay.values()].sort((a, b) => (a.item.properties.datetime ?? '').localeCompare(b.item.properties.datetime ?? ''));
}
