import { z } from 'zod';
import { InvalidRequestError } from '../errors.js';
import { describeZodError } from '../validation.js';
import { SPECIES } from './factors.js';
import { METHOD_NAMES, type MethodName } from './methods/registry.js';
import { SENSOR_IDS, type SensorDescription, type SensorId, checkMethod, getSensor } from '../sensors/registry.js';
import { RED_EDGE_MODES } from './sharpen.js';
import { DEFAULT_THRESHOLDS } from './thresholds.js';

/** Index layers that can be rendered as PNG on request. */
export const LAYER_NAMES = ['rgb', 'false-color', 'ndvi', 'fai', 'kd'] as const;
export type LayerName = (typeof LAYER_NAMES)[number];

const thresholdOverrides = z
  .object(Object.fromEntries(Object.keys(DEFAULT_THRESHOLDS).map((key) => [key, z.number().finite().optional()])))
  .strict();

/**
 * Analysis options as a request, the CLI or an event gives them. Every field is optional and
 * unknown fields are refused, so a typo is an error rather than a silently ignored option.
 */
export const analysisOptionsSchema = z
  .object({
    /** Default: the sensor's (`kd` for Sentinel-2, `fai` for Landsat), see `methodOf`. */
    method: z.enum(METHOD_NAMES).optional(),
    /**
     * The instrument (default: what the input says, else Sentinel-2): `landsat-8` / `landsat-9`
     * for a multi-band Landsat file, whose bands then take Landsat names (`--bands SR_B2,…`).
     */
    sensor: z.enum(SENSOR_IDS).optional(),
    species: z.enum(SPECIES).default('macrocystis'),
    minBedAreaM2: z.number().finite().min(0).max(1e9).default(500),
    /** Default: the sensor's (`binary` on Sentinel-2, `fractional` on Landsat's 30 m pixels), see `areaModeOf`. */
    areaMode: z.enum(['binary', 'fractional']).optional(),
    /** Band names of a multi-band file's samples, in order, overriding its band descriptions. */
    bands: z.array(z.string().min(1).max(16)).min(1).max(32).optional(),
    /** BOA_ADD_OFFSET in DN (−1000 for processing baseline 04.00+, 0 before). */
    boaOffset: z.number().int().min(-10000).max(10000).optional(),
    thresholds: thresholdOverrides.optional(),
    /** FAI of full canopy cover, the upper end-member of fractional cover. */
    canopyFai: z.number().finite().gt(0).max(1).optional(),
    layers: z.array(z.enum(LAYER_NAMES)).max(LAYER_NAMES.length).optional(),
    /**
     * How the 20 m red edge (B05, B06) meets the 10 m red: `sharpened` with the 10 m NIR's detail
     * (the default when absent), `aggregated` (red averaged to 20 m), or `native` (as read, as
     * Mora-Soto et al. 2020 computed KD).
     */
    redEdge: z.enum(RED_EDGE_MODES).optional(),
  })
  .strict();

export type AnalysisOptionsInput = z.input<typeof analysisOptionsSchema>;
/** Parsed options. `method` absent means the sensor's default (see `methodOf`). */
export type AnalysisOptions = z.output<typeof analysisOptionsSchema>;

/**
 * Validates options, filling defaults; throws `InvalidRequestError` naming each bad field. The
 * method is left absent when not given: it defaults to the sensor's (see `methodOf`), and the
 * sensor may be known only once the input is opened (a Landsat folder, a `landsat-c2-l2` item).
 *
 * @example
 * ```ts
 * parseAnalysisOptions({ method: 'fai' }).minBedAreaM2; // 500
 * ```
 */
export function parseAnalysisOptions(input: unknown): AnalysisOptions {
  const parsed = analysisOptionsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new InvalidRequestError(`invalid analysis options: ${describeZodError(parsed.error)}`, {
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return canonicalOptions(parsed.data);
}

/**
 * The sensor of an analysis: the options' own, else what the input says (`detected`), else
 * Sentinel-2. Options naming one sensor while the input is another are refused.
 */
export function sensorOf(options: Pick<AnalysisOptions, 'sensor'>, detected?: SensorId): SensorDescription {
  if (options.sensor && detected && options.sensor !== detected && !(isLandsat(options.sensor) && isLandsat(detected))) {
    throw new InvalidRequestError(`the options say sensor "${options.sensor}" but the input is ${getSensor(detected).label}`, { sensor: options.sensor, detected });
  }
  return getSensor(options.sensor ?? detected);
}

/** The area mode of an analysis on `sensor`: the one asked for, else the sensor's. */
export function areaModeOf(options: Pick<AnalysisOptions, 'areaMode'>, sensor: SensorDescription): 'binary' | 'fractional' {
  return options.areaMode ?? sensor.defaultAreaMode;
}

function isLandsat(id: SensorId): boolean {
  return id.startsWith('landsat');
}

/**
 * The method an analysis runs on `sensor`: the one asked for, else the sensor's default (`kd` for
 * Sentinel-2, `fai` for Landsat). A method the sensor cannot run (KD and NDRE need a red edge) is
 * refused with `UnsupportedMethodError` naming those it can; so is Sentinel-2's `boaOffset` on
 * another sensor.
 *
 * @example
 * ```ts
 * methodOf(parseAnalysisOptions({}), getSensor('landsat-8')); // 'fai'
 * ```
 */
export function methodOf(options: Pick<AnalysisOptions, 'method' | 'boaOffset'>, sensor: SensorDescription): MethodName {
  if (options.boaOffset !== undefined && sensor.reflectance.kind !== 'sentinel-2-l2a') {
    throw new InvalidRequestError(`boaOffset is Sentinel-2's BOA_ADD_OFFSET; ${sensor.label} reflectance follows its own rule`, { sensor: sensor.id });
  }
  const method = options.method ?? sensor.defaultMethod;
  checkMethod(sensor, method);
  return method;
}

/**
 * Equivalent options in one form, so they give one analysis id: layers deduplicated in
 * `LAYER_NAMES` order, and no `layers` key for none (`[]` and absent mean the same).
 */
export function canonicalOptions(options: AnalysisOptions): AnalysisOptions {
  if (!options.layers) return options;
  const { layers, ...rest } = options;
  const wanted = LAYER_NAMES.filter((name) => layers.includes(name));
  return wanted.length ? { ...rest, layers: wanted } : rest;
}
