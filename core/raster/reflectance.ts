import type { TiffInfo } from './open-tiff.js';

/** Sentinel-2 L2A quantification: reflectance = (DN + BOA_ADD_OFFSET) / 10000. */
export const L2A_QUANTIFICATION = 10000;

/** How digital numbers became reflectance, reported in the result. */
export interface ReflectanceRule {
  /**
   * - `float`: the file holds reflectance already.
   * - `scale-offset`: GDAL per-band scale and offset from the file.
   * - `boa-offset`: `(DN + boaAddOffset) / 10000` with the offset from the request or the file's metadata.
   * - `assumed-pre-2022`: integer data with no scale, offset or BOA_ADD_OFFSET: offset 0 assumed.
   */
  kind: 'float' | 'scale-offset' | 'boa-offset' | 'assumed-pre-2022';
  scale: number;
  offset: number;
  /** The BOA_ADD_OFFSET in DN, when the rule is expressed that way. */
  boaAddOffset?: number;
  /** Where the rule came from: `request`, `file`, `stac`, `sensor` (the product's documented rule, e.g. Landsat C2 L2), or `assumed`. */
  origin: 'request' | 'file' | 'stac' | 'sensor' | 'assumed';
}

/**
 * Chooses the reflectance rule for one sample of a file. Precedence: an explicit BOA offset from
 * the request or STAC item, then the file's GDAL scale/offset, then its BOA_ADD_OFFSET or
 * PROCESSING_BASELINE metadata, then (integer data only) the pre-2022 rule, which the caller must
 * report as a warning.
 *
 * @example
 * ```ts
 * chooseReflectanceRule(info, 0, { boaAddOffset: -1000, origin: 'request' });
 * // { kind: 'boa-offset', scale: 0.0001, offset: -0.1, boaAddOffset: -1000, origin: 'request' }
 * ```
 */
export function chooseReflectanceRule(
  info: Pick<TiffInfo, 'scales' | 'offsets' | 'sampleFormat' | 'metadata'>,
  sample: number,
  explicit?: { boaAddOffset: number; origin: 'request' | 'stac' },
  /** A sensor's own rule for integers without scale/offset (Landsat C2 L2: × 0.0000275 − 0.2); default Sentinel-2's. */
  sensorRule?: { scale: number; offset: number },
): ReflectanceRule {
  if (sensorRule) {
    const scale = info.scales[sample];
    const offset = info.offsets[sample];
    if (scale !== undefined || offset !== undefined) return { kind: 'scale-offset', scale: scale ?? 1, offset: offset ?? 0, origin: 'file' };
    if (info.sampleFormat === 3) return { kind: 'float', scale: 1, offset: 0, origin: 'file' };
    return { kind: 'scale-offset', scale: sensorRule.scale, offset: sensorRule.offset, origin: 'sensor' };
  }
  if (explicit) return boaRule(explicit.boaAddOffset, explicit.origin);
  const scale = info.scales[sample];
  const offset = info.offsets[sample];
  if (scale !== undefined || offset !== undefined) {
    return { kind: 'scale-offset', scale: scale ?? 1, offset: offset ?? 0, origin: 'file' };
  }
  if (info.sampleFormat === 3) return { kind: 'float', scale: 1, offset: 0, origin: 'file' };
  const fromMetadata = Number(info.metadata.BOA_ADD_OFFSET);
  if (info.metadata.BOA_ADD_OFFSET !== undefined && Number.isFinite(fromMetadata)) return boaRule(fromMetadata, 'file');
  const baseline = info.metadata.PROCESSING_BASELINE;
  if (baseline && /^\d{1,2}\.\d{1,2}$/.test(baseline)) return boaRule(boaOffsetForBaseline(baseline), 'file');
  return { kind: 'assumed-pre-2022', scale: 1 / L2A_QUANTIFICATION, offset: 0, boaAddOffset: 0, origin: 'assumed' };
}

function boaRule(boaAddOffset: number, origin: ReflectanceRule['origin']): ReflectanceRule {
  return {
    kind: 'boa-offset',
    scale: 1 / L2A_QUANTIFICATION,
    offset: boaAddOffset / L2A_QUANTIFICATION,
    boaAddOffset,
    origin,
  };
}

/**
 * The BOA_ADD_OFFSET a processing baseline implies: -1000 from baseline 04.00 (products from
 * 25 January 2022), 0 before (ESA, Sentinel-2 L2A product specification, PB 04.00 note).
 */
export function boaOffsetForBaseline(baseline: string): number {
  const major = Number(baseline.split('.')[0]);
  if (!Number.isFinite(major)) throw new RangeError(`not a processing baseline: ${baseline}`);
  return major >= 4 ? -1000 : 0;
}
