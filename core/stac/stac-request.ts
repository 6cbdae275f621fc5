import { z } from 'zod';
import { describeZodError } from '../validation.js';
import { InvalidRequestError } from '../errors.js';
import type { LonLatBbox } from '../ports/scene-catalog.js';
import { aoiBbox } from './aoi.js';
import { LANDSAT_C2_L2 } from './landsat-item.js';
import { SENTINEL2_L2A } from './stac-client.js';

/** Collections a request may search: Sentinel-2 L2A and Landsat Collection 2 Level-2, by the id both catalogs give them. */
export const STAC_COLLECTIONS = [SENTINEL2_L2A, LANDSAT_C2_L2] as const;
export type StacCollection = (typeof STAC_COLLECTIONS)[number];
/** What a request searches when it names no collection. */
export const DEFAULT_COLLECTIONS: readonly StacCollection[] = [SENTINEL2_L2A];

/** Longest date range one request may search, days (a year, leap years included). */
const MAX_RANGE_DAYS = 366;
/** Default cloud limit, percent, and default buffer around a point, km. */
const STAC_DEFAULTS = { maxCloudCover: 20, bufferKm: 1 } as const;

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const dateTime = z
  .string()
  .max(40)
  .refine((value) => (DATE_ONLY.test(value) || /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/i.test(value)) && Number.isFinite(Date.parse(value)), {
    message: 'expected a date (YYYY-MM-DD) or an RFC 3339 date-time',
  });

/**
 * The `stac` source of `POST /api/analyses`: a point (`{ lat, lng }`, with `bufferKm`, default
 * 1 km each way) or a WGS 84 `bbox` `[west, south, east, north]`; `start` and `end` (dates or
 * date-times, inclusive, at most 366 days apart, end not before start); `maxCloudCover`
 * (percent, default 20); `series` to analyse every usable scene instead of the least cloudy;
 * `collections` to search (`sentinel-2-l2a`, `landsat-c2-l2` or both; default Sentinel-2 only).
 */
export const stacSourceSchema = z
  .object({
    point: z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }).strict().optional(),
    bufferKm: z.number().gt(0).max(50).optional(),
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
    start: dateTime,
    end: dateTime,
    maxCloudCover: z.number().min(0).max(100).default(STAC_DEFAULTS.maxCloudCover),
    series: z.boolean().default(false),
    collections: z
      .array(z.enum(STAC_COLLECTIONS))
      .min(1)
      .max(STAC_COLLECTIONS.length)
      .refine((list) => new Set(list).size === list.length, 'name each collection once')
      .optional(),
  })
  .strict()
  .superRefine((value, context) => {
    if (!value.point === !value.bbox) context.addIssue({ code: 'custom', path: ['point'], message: 'give either point (with bufferKm) or bbox, not both or neither' });
    if (value.bbox && value.bufferKm !== undefined) context.addIssue({ code: 'custom', path: ['bufferKm'], message: 'bufferKm goes with point, not bbox' });
    const [start, end] = [instant(value.start), instant(value.end)];
    if (!Number.isFinite(start) || !Number.isFinite(end)) return;
    if (end < start) context.addIssue({ code: 'custom', path: ['end'], message: `end (${value.end}) is before start (${value.start})` });
    else if ((end - start) / DAY_MS > MAX_RANGE_DAYS) {
      context.addIssue({ code: 'custom', path: ['end'], message: `the range is ${Math.round((end - start) / DAY_MS)} days; at most ${MAX_RANGE_DAYS} (split longer series by year)` });
    }
  });

export type StacSourceInput = z.input<typeof stacSourceSchema>;

/** A validated STAC request: the AOI as a WGS 84 bbox, and the datetime interval to search. */
export interface StacRequest {
  bbox: LonLatBbox;
  point?: { lat: number; lng: number };
  bufferKm?: number;
  /** As given, and as RFC 3339 instants for the search (a date-only end is the end of that day). */
  start: string;
  end: string;
  startInstant: string;
  endInstant: string;
  maxCloudCover: number;
  series: boolean;
  /** Collections searched, in the order given (default `sentinel-2-l2a`; a site's own list for a site). */
  collections: string[];
}

/** Milliseconds of a date or date-time; a date-only value is the start of that UTC day. */
function instant(value: string): number {
  return Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
}

/**
 * Validates a `stac` source (from the API body or the CLI flags) into a `StacRequest`; throws
 * `InvalidRequestError` naming each problem (reversed or over-long ranges included).
 *
 * @example
 * ```ts
 * parseStacRequest({ point: { lat: 36.6, lng: -121.9 }, bufferKm: 1, start: '2023-06-01', end: '2023-08-31' }).endInstant;
 * // '2023-08-31T23:59:59.999Z'
 * ```
 */
export function parseStacRequest(input: unknown): StacRequest {
  const parsed = stacSourceSchema.safeParse(input);
  if (!parsed.success) throw new InvalidRequestError(`invalid STAC source: ${describeZodError(parsed.error)}`);
  const value = parsed.data;
  const bufferKm = value.point ? (value.bufferKm ?? STAC_DEFAULTS.bufferKm) : undefined;
  const bbox = value.point ? aoiBbox({ point: value.point, bufferKm: bufferKm as number }) : aoiBbox({ bbox: value.bbox as LonLatBbox });
  const endOfDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS - 1).toISOString();
  return {
    bbox,
    ...(value.point ? { point: value.point, bufferKm } : {}),
    start: value.start,
    end: value.end,
    startInstant: DATE_ONLY.test(value.start) ? `${value.start}T00:00:00Z` : new Date(value.start).toISOString(),
    endInstant: DATE_ONLY.test(value.end) ? endOfDay(value.end) : new Date(value.end).toISOString(),
    maxCloudCover: value.maxCloudCover,
    series: value.series,
    collections: value.collections ?? [...DEFAULT_COLLECTIONS],
  };
}
