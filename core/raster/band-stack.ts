import { type BandName, BAND_NAMES, normalizeBandName } from '../analysis/bands.js';
import { InvalidRequestError, MissingBandError, UnknownBandError, UnsupportedFormatError } from '../errors.js';
import { BandFileReader } from './band-file.js';
import type { ByteSource } from './byte-source.js';
import type { Grid, PixelWindow } from './grid.js';
import { type OpenTiffOptions, type TiffInfo, openTiff } from './open-tiff.js';
import { type ReflectanceRule, chooseReflectanceRule } from './reflectance.js';
import type { Inflate } from './tile-decode.js';
import { conversionTable, convertRows } from './band-convert.js';

/** Where the bands come from: one multi-band GeoTIFF, or one file per band (COGs from STAC). */
export type SceneInput =
  | { kind: 'multiband'; source: ByteSource; /** names for the samples, in order, overriding band descriptions */ bands?: string[] }
  | { kind: 'per-band'; sources: Record<string, ByteSource> };

export interface OpenStackOptions extends OpenTiffOptions {
  /** BOA_ADD_OFFSET in DN given by the request or a STAC item; overrides the file. */
  boaAddOffset?: { value: number; origin: 'request' | 'stac' };
  /** How deflate tiles are inflated (default: the Web-standard `DecompressionStream`). */
  inflate?: Inflate;
}

/** One band bound to the file and sample it is read from. */
interface BandBinding {
  band: BandName;
  reader: BandFileReader;
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
    readonly files: TiffInfo[],
  ) {}

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
    if (missing.length) throw new MissingBandError(missing, this.bands, hint);
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
    const files: TiffInfo[] = [];
    const explicit = options.boaAddOffset && { boaAddOffset: options.boaAddOffset.value, origin: options.boaAddOffset.origin };
    const bind = (band: BandName, info: TiffInfo, reader: BandFileReader, slot: number, sample: number) => {
      if (bindings.has(band)) throw new InvalidRequestError(`band ${band} is given twice`);
      const rule = band === 'SCL' ? { kind: 'float' as const, scale: 1, offset: 0, origin: 'file' as const } : chooseReflectanceRule(info, sample, explicit);
      const nodata = info.nodata ?? (info.sampleFormat === 3 ? undefined : 0);
      bindings.set(band, { band, reader, slot, ratio: 1, rule, nodata });
    };
    if (input.kind === 'multiband') {
      const info = await openTiff(input.source, options);
      files.push(info);
      const names = nameSamples(info, input.bands);
      const samples = names.flatMap((band, sample) => (band ? [sample] : []));
      const reader = new BandFileReader(info, samples, options.inflate);
      samples.forEach((sample, slot) => bind(names[sample] as BandName, info, reader, slot, sample));
    } else {
      for (const [key, source] of Object.entries(input.sources)) {
        const band = normalizeBandName(key);
        if (!band) throw new UnknownBandError(`unknown band "${key}"; known: ${BAND_NAMES.join(', ')}`, { band: key });
        const info = await openTiff(source, options);
        files.push(info);
        bind(band, info, new BandFileReader(info, [0], options.inflate), 0, 0);
      }
    }
    if (bindings.size === 0) throw new InvalidRequestError('no bands were given');
    const grid = finestGrid(files);
    for (const binding of bindings.values()) binding.ratio = gridRatio(grid, binding.reader.info, binding.band);
    return new BandStack(grid, bindings, files);
  }
}

/** Band names for each sample of a multi-band file: from the request, else from band descriptions. */
function nameSamples(info: TiffInfo, explicit?: string[]): Array<BandName | undefined> {
  if (explicit) {
    if (explicit.length !== info.samples) {
      throw new InvalidRequestError(
        `the band list names ${explicit.length} band${explicit.length === 1 ? '' : 's'} but ${info.name} has ${info.samples}; list one name per band, in order`,
        { given: explicit.length, samples: info.samples },
      );
    }
    return explicit.map((name) => {
      const band = normalizeBandName(name);
      if (!band) throw new UnknownBandError(`unknown band "${name}"; known: ${BAND_NAMES.join(', ')}`, { band: name });
      return band;
    });
  }
  const names = info.descriptions.map((description) => normalizeBandName(description));
  if (names.every((name) => name === undefined)) {
    throw new MissingBandError([], [], `${info.name} has ${info.samples} band${info.samples === 1 ? '' : 's'} without Sentinel-2 names (no band descriptions); give them in order, e.g. --bands B02,B03,B04,B08`);
  }
  return names;
}

function finestGrid(files: TiffInfo[]): Grid {
  return files.reduce((best, file) => (file.grid.transform.pixelWidth < best.transform.pixelWidth ? file.grid : best), files[0].grid);
}

/** Native pixels per analysis pixel; the file must share CRS, origin and extent with the analysis grid. */
function gridRatio(grid: Grid, info: TiffInfo, band: BandName): number {
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
      `band ${band} (${info.name}) is not on the grid of the other bands (EPSG:${info.grid.crs.epsg}, ${t.pixelWidth} m pixels from ${t.originX}, ${t.originY}; expected EPSG:${grid.crs.epsg} from ${g.originX}, ${g.originY}); bands must come from one Sentinel-2 tile`,
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
