/**
 * What the analysis needs to know of an instrument, as data: which of its bands plays which
 * role, their wavelengths and resolutions, how its numbers become reflectance, how its quality
 * band masks, which methods it can run and the thresholds it states. Registered like the indices
 * and methods (see registry.ts); Sentinel-2 MSI and Landsat 8/9 OLI are the ones we have.
 *
 * The analysis reads bands by *slot*: the keys of `BAND_TABLE` (`B02`, `B04`, `B08`, `B11`,
 * `SCL`…), named after the Sentinel-2 band that defined each role when the core was written.
 * A sensor binds each of its own bands to the slot of its role (Landsat's `SR_B5`, its NIR, to
 * `B08`); results report the sensor's own names.
 */
import type { BandName } from '../analysis/bands.js';
import type { MethodName } from '../analysis/methods/registry.js';
import type { Thresholds } from '../analysis/thresholds.js';

/** Sensors the core knows. */
export const SENSOR_IDS = ['sentinel-2', 'landsat-8', 'landsat-9'] as const;
export type SensorId = (typeof SENSOR_IDS)[number];

/** What a band is for in the analysis. */
export type BandRole =
  | 'coastal'
  | 'blue'
  | 'green'
  | 'red'
  | 'redEdge1'
  | 'redEdge2'
  | 'redEdge3'
  | 'nir'
  | 'nirNarrow'
  | 'waterVapour'
  | 'swir1'
  | 'swir2'
  | 'quality';

/** The analysis slot of each role (see the file comment). */
export const ROLE_SLOTS: Readonly<Record<BandRole, BandName>> = {
  coastal: 'B01',
  blue: 'B02',
  green: 'B03',
  red: 'B04',
  redEdge1: 'B05',
  redEdge2: 'B06',
  redEdge3: 'B07',
  nir: 'B08',
  nirNarrow: 'B8A',
  waterVapour: 'B09',
  swir1: 'B11',
  swir2: 'B12',
  quality: 'SCL',
};

/** The role of each slot. */
export const SLOT_ROLES: Readonly<Record<BandName, BandRole>> = Object.fromEntries(
  Object.entries(ROLE_SLOTS).map(([role, slot]) => [slot, role]),
) as Record<BandName, BandRole>;

/** One band of a sensor. */
export interface SensorBand {
  /** The sensor's own name for it (`B04`, `SR_B4`, `QA_PIXEL`). */
  name: string;
  role: BandRole;
  /** Centre wavelength (0 for a quality band). */
  wavelengthNm: number;
  /** Native pixel size. */
  resolutionM: number;
}

/** How a sensor's integers become reflectance when the file itself does not say. */
export type SensorReflectance =
  /** Sentinel-2 L2A: `(DN + BOA_ADD_OFFSET) / 10000`, the offset from the product (see raster/reflectance.ts). */
  | { kind: 'sentinel-2-l2a' }
  /** `DN × scale + offset`, with `fill` as no data (Landsat Collection 2 Level-2). */
  | { kind: 'linear'; scale: number; offset: number; fill: number; source: string };

/** How the quality band masks. */
export interface SensorQuality {
  /** The sensor's quality band. */
  band: string;
  /**
   * The pixel class (`PIXEL` of masks.ts: nodata, cloud, shadow) each value of the band's low
   * byte forces, or 255 for none. Every flag we read sits in the low byte of both SCL (a class
   * code) and Landsat's QA_PIXEL (bits 0–7).
   */
  toPixel: Uint8Array;
  /** What is masked, for the result and the docs. */
  description: string;
}

/** A sensor, as the analysis sees it. */
export interface SensorDescription {
  id: SensorId;
  /** For people: "Sentinel-2 MSI", "Landsat 8 OLI". */
  label: string;
  /** The product level analysed. */
  product: string;
  bands: readonly SensorBand[];
  /** Other names of its bands (STAC asset keys, GDAL descriptions), lower case, to the band's name. */
  aliases: Readonly<Record<string, string>>;
  /** The finest grid the analysis runs on. */
  pixelSizeM: number;
  reflectance: SensorReflectance;
  quality: SensorQuality;
  /** Methods it can run (their index inputs are among its bands), and the default. */
  methods: readonly MethodName[];
  defaultMethod: MethodName;
  /** The area the result leads with, and biomass and carbon rest on, when the request does not say. */
  defaultAreaMode: 'binary' | 'fractional';
  /** Thresholds that differ from `DEFAULT_THRESHOLDS` for this sensor, each with why. */
  thresholds: Partial<Thresholds>;
  thresholdNotes: Partial<Record<keyof Thresholds, string>>;
  /** Position of the NIR between red and SWIR 1 on the FAI baseline: (λnir − λred) / (λswir1 − λred). */
  faiBaselineWeight: number;
  /** What the result says of its pixel size against the others' (e.g. what 30 m cannot resolve). */
  resolutionNote: string;
}

/** The band of `sensor` that plays `role`, if it has one. */
export function bandForRole(sensor: SensorDescription, role: BandRole): SensorBand | undefined {
  return sensor.bands.find((band) => band.role === role);
}

/** The FAI baseline weight from a sensor's red, NIR and SWIR 1 centre wavelengths. */
export function faiWeightOf(bands: readonly SensorBand[]): number {
  const at = (role: BandRole) => {
    const band = bands.find((b) => b.role === role);
    if (!band) throw new Error(`a sensor with FAI needs a ${role} band`);
    return band.wavelengthNm;
  };
  return (at('nir') - at('red')) / (at('swir1') - at('red'));
}
