import { type BandName, BAND_NAMES, normalizeBandName } from '../analysis/bands.js';
import { type SensorDescription, type SensorId, getSensor } from '../sensors/registry.js';
import { ROLE_SLOTS, SLOT_ROLES } from '../sensors/sensor.js';
import { InvalidRequestError, MissingBandError, UnknownBandError, UnsupportedFormatError } from '../errors.js';
import { BandFileReader } from './band-file.js';
import type { BandFileFacts, BandFileInfo, BandReader } from './band-reader.js';
import type { ByteSource } from './byte-source.js';
import type { Grid, PixelWindow } from './grid.js';
import { type OpenBandFileOptions, openBandFile } from './open-band-file.js';
import { type OpenTiffOptions, type TiffInfo, openTiff } from './open-tiff.js';
import { type ReflectanceRule, chooseReflectanceRule } from './reflectance.js';
import type { Inflate } from './tile-decode.js';
import { conversionTable, convertRows } from './band-convert.js';

/**
 * Where the bands come from: one multi-band GeoTIFF, or one file per band (COGs from STAC, band
 * files of a folder or a .SAFE, GeoTIFF or JPEG 2000), with what a product says of each.
 */
export type SceneInput =
  | { kind: 'multiband'; source: ByteSource; /** names for the samples, in order, overriding band descriptions */ bands?: string[] }
  | { kind: 'per-band'; sources: Record<string, ByteSource>; /** by the same keys */ facts?: Record<string, BandFileFacts> };

export interface OpenStackOptions extends OpenTiffOptions {
  /** BOA_ADD_OFFSET in DN given by the request or a STAC item; overrides the file. */
  boaAddOffset?: { value: number; origin: 'request' | 'stac' };
  /** How deflate tiles are inflated (default: the Web-standard `DecompressionStream`). */
  inflate?: Inflate;
  /** Decodes JPEG 2000 band files; they are refused without it. */
  jpeg2000?: OpenBandFileOptions['jpeg2000'];
  /** The sensor whose band names, reflectance rule and fill value apply (default Sentinel-2). */
  sensor?: SensorId;
}

/** One band bound to the file and sample it is read from. */
interface BandBinding {
  band: BandName;
  reader: BandReader;
  slot: number;
  /** Native pixels per analysis pixel along each axis (1 for 10 m bands, 2 for 20 m). */
  ratio: number;
  rule: ReflectanceRule;
  nodata: number | undefined;
  /** Cached native-column lookup for the last window shape. */
  columns?: { key: string; index: Int32Array };
  /** Converted value of every sample value, for 8- and 16-bit unsigned files. */
  table?: Float32Array;
}

/**
 * The bands of a scene on one analysis grid (the finest band's grid). 20 m bands are upsampled
 * by nearest neighbour. Reflectance bands come back as Float32 reflectance with NaN for nodata;
 * SCL comes back as class codes with 0 (SCL "no data") for nodata.
 */
export class BandStack {
  private constructor(
    readonly grid: Grid,
    private readonly bindings: Map<BandName, BandBinding>,
    readonly files: BandFileInfo[],
    readonly sensor: SensorDescription,
  ) {}

  /** The sensor's name of the band bound to each slot read, by the slot's role (`{ red: 'SR_B4', … }`). */
  get bandRoles(): Record<string, string> {
    return Object.fromEntries(this.bands.map((slot) => [SLOT_ROLES[slot], sensorBandName(this.sensor, slot)]));
  }

  /** Bands available, in table order. */
  get bands(): BandName[] {
    return BAND_NAMES.filter((band) => this.bindings.has(band));
  }

  /** The reflectance rule per band (SCL excluded). */
  get rules(): Partial<Record<BandName, ReflectanceRule>> {
    const rules: Partial<Record<BandName, ReflectanceRule>> = {};
    for (const [band, binding] of this.bindings) if (band !== 'SCL') rules[band] = binding.rule;
    return rules;
  }

  /** Rows of the analysis grid each file's blocks (tiles or strips) span: a read of rows aligned to them decodes no block twice. */
  get blockRows(): number[] {
    return [...this.bindings.values()].map((binding) => binding.reader.info.blockHeight * binding.ratio);
  }

  has(band: BandName): boolean {
    return this.bindings.has(band);
  }

  /** Throws `MissingBandError` unless every band in `required` is present. */
  require(required: readonly BandName[], hint = ''): void {
    const missing = required.filter((band) => !this.bindings.has(band));
    const named = (bands: BandName[]) => bands.map((band) => sensorBandName(this.sensor, band));
    if (missing.length) throw new MissingBandError(named(missing), named(this.bands), hint);
  }

  /**
   * Reads `bands` over `window` of the analysis grid; one Float32Array per band, row-major.
   * The arrays are reused by the next call with the same window size: copy what must outlive it.
   */
  async read(bands: readonly BandName[], window: PixelWindow, signal?: AbortSignal): Promise<Map<BandName, Float32Array>> {
    const out = new Map<BandName, Float32Array>();
    const length = window.width * window.height;
    for (const band of bands) {
      const binding = this.bindings.get(band);
      if (!binding) throw new MissingBandError([band], this.bands);
      let buffer = this.buffers.get(band);
      if (!buffer || buffer.length < length) {
        buffer = new Float32Array(length);
        this.buffers.set(band, buffer);
      }
      const view = buffer.subarray(0, length);
      await readBinding(binding, window, view, signal);
      out.set(band, view);
    }
    return out;
  }

  private readonly buffers = new Map<BandName, Float32Array>();

  /** Opens the files of `input`, binds bands to samples, and checks the grids line up. */
  static async open(input: SceneInput, options: OpenStackOptions = {}): Promise<BandStack> {
    const bindings = new Map<BandName, BandBinding>();
    const files: BandFileInfo[] = [];
    const sensor = getSensor(options.sensor);
    const explicit = options.boaAddOffset && { boaAddOffset: options.boaAddOffset.value, origin: options.boaAddOffset.origin };
    const sensorRule = sensor.reflectance.kind === 'linear' ? sensor.reflectance : undefined;
    const bind = (band: BandName, info: BandFileInfo, reader: BandReader, slot: number, sample: number) => {
      if (bindings.has(band)) throw new InvalidRequestError(`band ${sensorBandName(sensor, band)} is given twice`);
      const rule = band === 'SCL' ? { kind: 'float' as const, scale: 1, offset: 0, origin: 'file' as const } : chooseReflectanceRule(info, sample, explicit, sensorRule);
      const fill = band !== 'SCL' && sensorRule ? sensorRule.fill : 0;
      const nodata = info.nodata ?? (info.sampleFormat === 3 ? undefined : fill);
      bindings.set(band, { band, reader, slot, ratio: 1, rule, nodata });
    };
    if (input.kind === 'multiband') {
      const info = await openTiff(input.source, options);
      files.push(info);
      const names = nameSamples(info, sensor, input.bands);
      const samples = names.flatMap((band, sample) => (band ? [sample] : []));
      const reader = new BandFileReader(info, samples, options.inflate);
      samples.forEach((sample, slot) => bind(names[sample] as BandName, info, reader, slot, sample));
    } else {
      for (const [key, source] of Object.entries(input.sources)) {
        const band = slotOf(sensor, key);
        if (!band) throw new UnknownBandError(`unknown band "${key}"; known: ${knownNames(sensor)}`, { band: key });
        const reader = await openBandFile(source, input.facts?.[key], options);
        files.push(reader.info);
        bind(band, reader.info, reader, 0, 0);
      }
    }
    if (bindings.size === 0) throw new InvalidRequestError('no bands were given');
    const grid = finestGrid(files);
    for (const binding of bindings.values()) binding.ratio = gridRatio(grid, binding.reader.info, sensorBandName(sensor, binding.band));
    return new BandStack(grid, bindings, files, sensor);
  }
}

/**
 * The analysis slot a band name means on `sensor`: its own name (`SR_B4`, `B04`), an alias
 * (`red`, `nir08`, `b4`), else — for input keyed by slot, as the readers of a tree do — a slot
 * name whose role the sensor has. Case-insensitive.
 */
export function slotOf(sensor: SensorDescription, name: string): BandName | undefined {
  if (sensor.id === 'sentinel-2') return normalizeBandName(name);
  const trimmed = name.trim();
  const own = sensor.bands.find((band) => band.name.toLowerCase() === trimmed.toLowerCase()) ?? sensor.bands.find((band) => band.name === sensor.aliases[trimmed.toLowerCase()]);
  if (own) return ROLE_SLOTS[own.role];
  const slot = normalizeBandName(trimmed);
  return slot && sensor.bands.some((band) => ROLE_SLOTS[band.role] === slot) ? slot : undefined;
}

/** The sensor's own name of the band in `slot` (the slot's name when the sensor has none there). */
export function sensorBandName(sensor: SensorDescription, slot: BandName): string {
  return sensor.bands.find((band) => ROLE_SLOTS[band.role] === slot)?.name ?? slot;
}

function knownNames(sensor: SensorDescription): string {
  return sensor.id === 'sentinel-2' ? BAND_NAMES.join(', ') : `${sensor.bands.map((band) => band.name).join(', ')} (${sensor.label})`;
}

/** Band names for each sample of a multi-band file: from the request, else from band descriptions. */
function nameSamples(info: TiffInfo, sensor: SensorDescription, explicit?: string[]): Array<BandName | undefined> {
  if (explicit) {
    if (explicit.length !== info.samples) {
      throw new InvalidRequestError(
        `the band list names ${explicit.length} band${explicit.length === 1 ? '' : 's'} but ${info.name} has ${info.samples}; list one name per band, in order`,
        { given: explicit.length, samples: info.samples },
      );
    }
    return explicit.map((name) => {
      const band = slotOf(sensor, name);
      if (!band) throw new UnknownBandError(`unknown band "${name}"; known: ${knownNames(sensor)}`, { band: name });
      return band;
    });
  }
  const names = info.descriptions.map((description) => slotOf(sensor, description));
  if (names.every((name) => name === undefined)) {
    const example = sensor.id === 'sentinel-2' ? 'B02,B03,B04,B05,B06,B08,B11,SCL' : 'SR_B2,SR_B3,SR_B4,SR_B5,SR_B6,SR_B7,QA_PIXEL';
    throw new MissingBandError([], [], `${info.name} has ${info.samples} band${info.samples === 1 ? '' : 's'} without ${sensor.id === 'sentinel-2' ? 'Sentinel-2' : sensor.label} names (no band descriptions); give their names in order with the bands option, e.g. ${example} for such a file`);
  }
  return names;
}

function finestGrid(files: BandFileInfo[]): Grid {
  return files.reduce((best, file) => (file.grid.transform.pixelWidth < best.transform.pixelWidth ? file.grid : best), files[0].grid);
}

/** Native pixels per analysis pixel; the file must share CRS, origin and extent with the analysis grid. */
function gridRatio(grid: Grid, info: BandFileInfo, band: string): number {
  const t = info.grid.transform;
  const g = grid.transform;
  const ratio = Math.round(t.pixelWidth / g.pixelWidth);
  const aligned =
    info.grid.crs.epsg === grid.crs.epsg &&
    ratio >= 1 &&
    Math.abs(t.pixelWidth - ratio * g.pixelWidth) < 1e-6 * t.pixelWidth &&
    Math.abs(-t.pixelHeight - ratio * -g.pixelHeight) < 1e-6 * t.pixelWidth &&
    Math.abs(t.originX - g.originX) < 0.01 * g.pixelWidth &&
    Math.abs(t.originY - g.originY) < 0.01 * g.pixelWidth &&
    Math.abs(info.width * ratio - grid.width) < ratio &&
    Math.abs(info.height * ratio - grid.height) < ratio;
  if (!aligned) {
    throw new UnsupportedFormatError(
      `band ${band} (${info.name}) is not on the grid of the other bands (EPSG:${info.grid.crs.epsg}, ${t.pixelWidth} m pixels from ${t.originX}, ${t.originY}; expected EPSG:${grid.crs.epsg} from ${g.originX}, ${g.originY}); bands must come from one scene (one Sentinel-2 tile or Landsat path/row)`,
    );
  }
  return ratio;
}

/** Native column of each analysis column of a window (nearest neighbour), cached per binding. */
function columnIndex(binding: BandBinding, window: PixelWindow): Int32Array {
  const key = `${window.x0}:${window.width}`;
  if (binding.columns?.key !== key) {
    const nativeWidth = binding.reader.info.width;
    const index = new Int32Array(window.width);
    for (let col = 0; col < window.width; col++) index[col] = Math.min(nativeWidth - 1, Math.floor((window.x0 + col) / binding.ratio));
    binding.columns = { key, index };
  }
  return binding.columns.index;
}

async function readBinding(binding: BandBinding, window: PixelWindow, out: Float32Array, signal?: AbortSignal): Promise<void> {
  const { ratio, reader } = binding;
  const nativeY0 = Math.floor(window.y0 / ratio);
  const nativeY1 = Math.min(reader.info.height, Math.ceil((window.y0 + window.height) / ratio));
  const columns = columnIndex(binding, window);
  // Only the native columns under the window are read (all of them for a whole-scene window).
  const wanted = { x0: columns[0], x1: columns[columns.length - 1] + 1 };
  const block = await reader.readRows(nativeY0, nativeY1, signal, wanted);
  // SCL keeps its class codes with 0 for nodata; reflectance bands get scale and offset, NaN for nodata.
  const convert = binding.band === 'SCL' ? { scale: 1, offset: 0, missing: 0 } : { scale: binding.rule.scale, offset: binding.rule.offset, missing: NaN };
  const { sampleFormat, bitsPerSample } = reader.info;
  if (!binding.table && sampleFormat === 1 && (bitsPerSample === 8 || bitsPerSample === 16)) binding.table = conversionTable(bitsPerSample, convert, binding.nodata);
  const plan = { window, ratio, columns, nativeHeight: reader.info.height, convert, nodata: binding.nodata, out };
  convertRows(block.grids[binding.slot], block.offsets[binding.slot], binding.table ? { ...plan, table: binding.table } : plan);
}
