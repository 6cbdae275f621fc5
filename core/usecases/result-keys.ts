import type { AnalysisResult } from '../analysis/result.js';

/** Analysis ids are 20 lower-case hex digits (see `deriveAnalysisId`). */
export const ANALYSIS_ID = /^[0-9a-f]{20}$/;

/** Largest millisecond timestamp the index can order (year 2286). */
const MAX_MS = 9_999_999_999_999;

export const resultPrefix = (id: string) => `results/${id}/`;
export const resultKey = (id: string) => `results/${id}/result.json`;
/** Where the upload trigger records why it could not analyse an upload (instead of a result). */
export const errorKey = (id: string) => `results/${id}/error.json`;

/**
 * The index entry of a result: `index/<inverted time>-<id>.json`, so that a lexicographic
 * listing (what every object store gives) is newest first.
 */
export function indexKey(result: Pick<AnalysisResult, 'id' | 'createdAt'>): string {
  const inverted = String(MAX_MS - Date.parse(result.createdAt)).padStart(13, '0');
  return `index/${inverted}-${result.id}.json`;
}
