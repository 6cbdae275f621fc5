/** What the page receives from the API (the core's own types, imported as types only: no code). */
import type { AnalysisResult } from '../core/analysis/result.js';
import type { SeriesSummary } from '../core/stac/series.js';

export type { AnalysisResult, SeriesSummary };

/** Web-Mercator renderings of a result (`result.map`): images that line up with `boundsWgs84` exactly. */
export interface MapImages {
  crs: 'EPSG:3857';
  /** `[west, south, east, north]`, degrees. */
  boundsWgs84: [number, number, number, number];
  width: number;
  height: number;
  /** Artifact name of the kelp image, e.g. `map/kelp.png`. */
  kelp: string;
  layers: Partial<Record<LayerName, string>>;
}

/** A result as the page reads it: `map` is there on results made since the map images were added. */
export type ResultDocument = AnalysisResult & { map?: MapImages };

/** The index layers an analysis can render. */
export const LAYERS = ['rgb', 'false-color', 'ndvi', 'fai', 'kd'] as const;
export type LayerName = (typeof LAYERS)[number];

/** What `GET /api/analyses/{id}` answers while an analysis is queued or running, or after it failed. */
export interface StatusDocument {
  id: string;
  kind: 'scene' | 'series';
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  submittedAt: string;
  updatedAt: string;
  attempt?: number;
  progress?: { step: string; done: number; total: number; unit: string; percent: number };
  error?: { code: string; message: string };
  links?: { self?: string; status?: string };
}

/** One item of `GET /api/analyses` (fields beyond `id` may be missing on older or running entries). */
export interface ListItem {
  id: string;
  createdAt?: string;
  submittedAt?: string;
  /** `failed` for an upload that could not be analysed (with `error`). */
  status?: string;
  kind?: string;
  source?: { uri?: string; sceneId?: string; acquiredAt?: string };
  kelp?: { areaHa?: number; beds?: number; areaMode?: string };
  method?: string;
  species?: string;
  error?: { code?: string; message?: string };
  /** Where the analysed scene lies, `[west, south, east, north]`. */
  bboxWgs84?: number[];
}

/** Whatever an analysis URL answered, told apart by shape. */
export type AnalysisDocument = { type: 'result'; result: ResultDocument } | { type: 'series'; series: SeriesSummary } | { type: 'status'; status: StatusDocument };

/**
 * Sorts a response body into result, series summary or status document; undefined for anything
 * else (a gateway's or emulator's own error body, for one).
 */
export function classify(body: unknown): AnalysisDocument | undefined {
  if (!body || typeof body !== 'object' || typeof (body as { id?: unknown }).id !== 'string') return undefined;
  const value = body as Record<string, unknown>;
  if (value.kelp && typeof value.kelp === 'object') return { type: 'result', result: value as unknown as ResultDocument };
  if (value.kind === 'series' && Array.isArray(value.scenes)) return { type: 'series', series: value as unknown as SeriesSummary };
  if (typeof value.status === 'string') return { type: 'status', status: value as unknown as StatusDocument };
  return undefined;
}
