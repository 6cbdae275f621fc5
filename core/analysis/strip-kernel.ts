/**
 * One strip of the scan: masks, the red edge sharpened to 10 m, indices, the method's
 * classification, the 10 m shore test, the local water statistics, and what later steps need
 * per candidate kelp pixel. Everything a strip computes depends only on the strip's own pixels,
 * so strips can be scanned in any order or in parallel and give the same answer.
 */
import { type AoiMask, maskOutsideAoi } from './aoi-mask.js';
import type { BandName } from './bands.js';
import { type Candidates, type NearMiss } from './candidates.js';
import type { BandArrays, SpectralContext } from './indices/index-plugin.js';
import { getIndex } from './indices/registry.js';
import type { Histogram } from './histogram.js';
import { MASK } from './mask-values.js';
import { fillFromNearest } from './nearest-fill.js';
import { PIXEL, classifySurface } from './masks.js';
import type { MethodPlugin } from './methods/method-plugin.js';
import { type RedEdgeMode, blockMeans, detectBlocks, injectDetail, regressGain } from './sharpen.js';
import type { Thresholds } from './thresholds.js';
import { CellHistograms, MIN_CELL_WATER_PX, WATER_CELL_PX } from './water-field.js';

/** Water FAI histogram range and bins: 0.00125 per bin. */
const FAI_RANGE = [-0.1, 0.1, 160] as const;
/** Water B03 histogram range and bins: 0.002 per bin. */
const GREEN_RANGE = [0, 0.3, 150] as const;
/** Water pixels this close (Chebyshev) to kelp are left out of the water statistics: sub-threshold canopy fringes them. */
const FRINGE_PX = 2;
/** Index differences sampled per strip for the noise estimate (every `NOISE_STRIDE`-th water pair at lag 2). */
const NOISE_SAMPLES = 4096;
const NOISE_STRIDE = 7;

/** What the kernel needs to know about the analysis. */
export interface KernelPlan {
  method: MethodPlugin;
  thresholds: Thresholds;
  required: readonly BandName[];
  /**
   * How the 20 m red edge (B05, B06) meets the 10 m red (B04): `sharpened` with the 10 m NIR's
   * detail (default), `aggregated` (KD and NDRE against B04 averaged to the 20 m block), or
   * `native` (as read: the 20 m value repeated on the 10 m grid). See sharpen.ts.
   */
  redEdge: RedEdgeMode;
  /** More indices to compute per strip (for layers). */
  extraIndices?: readonly string[];
  /** The area of interest on the window: pixels outside it are not observed (nodata). */
  aoi?: AoiMask;
  /** The sensor's quality table (`SensorDescription.quality.toPixel`) and wavelengths for the indices. */
  quality: Uint8Array;
  spectral: SpectralContext;
  /**
   * True when the SWIR band is on the analysis grid (Landsat: every band 30 m), not coarser
   * (Sentinel-2's 20 m B11 under 10 m pixels). Then, beside land, a SWIR above `swirLandMax` may
   * be the pixel's own share of land, which the green glint guard does not always tell from
   * glint: such a shore-zone pixel is canopy only if its blue is still at or above its SWIR, as
   * water, canopy, foam and glint (flat) keep it and land surfaces (vegetation, soil, sand: SWIR 1
   * above blue, USGS Spectral Library v7) mixed into it do not.
   */
  swirOnGrid?: boolean;
}

/** Where a strip's results go. */
export interface StripSink {
  /** The strip's rows of the window mask. */
  mask: Uint8Array;
  counts: { nodata: number; cloud: number; shadow: number };
  candidates: Candidates;
  nearMiss: NearMiss;
  /** Water FAI per cell of the strip (row-major cells), for the water field. */
  waterCells: CellHistograms;
  /** Every open-water FAI value (the scene histogram). */
  waterFai: Histogram;
  /** |difference| of index `noiseNames[k]` between water pixels two columns apart. */
  addNoise(k: number, value: number): void;
  sharpening: { strips: number; regressed: number; gains: number[] };
  /** Whether the 10 m shore test ran (B03 present). */
  shoreTest: boolean;
}

/** Per-strip work arrays, allocated once for the tallest strip and reused. */
export class StripKernel {
  private readonly classes: Uint8Array;
  private readonly water: Uint8Array;
  private readonly kelp: Uint8Array;
  private readonly fringe: Uint8Array;
  private readonly indexBuffers: Map<string, Float32Array>;
  private readonly sharpBuffers: Map<BandName, Float32Array>;
  private readonly nirMean: Float32Array;
  private readonly redMean: Float32Array;
  private readonly greenCells: CellHistograms;
  private readonly greenRef: Float32Array;
  private readonly nirRedCells: CellHistograms;
  private readonly nirRedRef: Float32Array;
  /** A strip's counts per bin of the scene's water-FAI histogram (its bins as given by the sink). */
  private sceneBins = new Float64Array(0);
  /** Index names computed per strip: the method's, plus FAI (fractions, water statistics) and any for layers. */
  readonly indexNames: string[];
  /** The 20 m red-edge bands an index reads, which are sharpened. */
  private readonly sharpened: ReadonlyArray<'B05' | 'B06'>;
  /** The method's own indices: their values are kept per candidate. */
  readonly scoreNames: readonly string[];
  /** Indices whose pixel noise is measured: the method's and FAI (the shore test's). */
  readonly noiseNames: readonly string[];

  constructor(
    private readonly plan: KernelPlan,
    private readonly width: number,
    maxRows: number,
  ) {
    const n = width * maxRows;
    this.classes = new Uint8Array(n);
    this.water = new Uint8Array(n);
    this.kelp = new Uint8Array(n);
    this.fringe = new Uint8Array(n);
    const names = StripKernel.namesOf(plan.method);
    this.scoreNames = names.score;
    this.noiseNames = names.noise;
    this.indexNames = [...new Set([...plan.method.indices, 'fai', ...(plan.extraIndices ?? [])])];
    this.indexBuffers = new Map(this.indexNames.map((name) => [name, new Float32Array(n)]));
    this.sharpBuffers = new Map();
    const inputs = new Set(this.indexNames.flatMap((name) => getIndex(name).inputs));
    this.sharpened = (['B06', 'B05'] as const).filter((band) => inputs.has(band));
    this.nirMean = new Float32Array(n);
    this.redMean = new Float32Array(n);
    const cells = Math.ceil(width / WATER_CELL_PX) * Math.ceil(maxRows / WATER_CELL_PX);
    this.greenCells = new CellHistograms(cells, ...GREEN_RANGE);
    this.greenRef = new Float32Array(cells);
    this.nirRedCells = new CellHistograms(cells, ...FAI_RANGE);
    this.nirRedRef = new Float32Array(cells);
  }

  /** The indices whose values a method's candidates keep (`score`) and whose noise is measured (`noise`). */
  static namesOf(method: MethodPlugin): { score: readonly string[]; noise: readonly string[] } {
    return { score: method.indices, noise: [...new Set([...method.indices, 'fai'])] };
  }

  /** Cells of a strip's histograms for a strip of `width` pixels and `maxRows` rows. */
  static cellHistograms(width: number, maxRows: number): CellHistograms {
    return new CellHistograms(Math.ceil(width / WATER_CELL_PX) * Math.ceil(maxRows / WATER_CELL_PX), ...FAI_RANGE);
  }

  /**
   * Scans one strip of `rows` rows whose first row is window row `y`. `bands` holds the strip's
   * reflectance (and SCL); `sink.mask` is the strip's part of the window mask.
   */
  scan(bands: BandArrays, y: number, rows: number, sink: StripSink): { values: ReadonlyMap<string, Float32Array>; classes: Uint8Array } {
    const { plan, width } = this;
    const n = width * rows;
    const classes = this.classes.subarray(0, n);
    classifySurface(bands, plan.required, plan.thresholds, classes, plan.quality);
    if (plan.aoi) maskOutsideAoi(plan.aoi, y, rows, classes, PIXEL.nodata);
    const indexBands = this.sharpenRedEdge(bands, rows, sink);
    const values = new Map<string, Float32Array>();
    for (const name of this.indexNames) {
      const out = (this.indexBuffers.get(name) as Float32Array).subarray(0, n);
      getIndex(name).compute(indexBands, out, plan.spectral);
      values.set(name, out);
    }
    const water = this.water.subarray(0, n);
    for (let i = 0; i < n; i++) water[i] = classes[i] === PIXEL.water ? 1 : 0;
    const kelp = this.kelp.subarray(0, n);
    plan.method.classify(values, plan.thresholds, water, kelp);
    this.markFringe(kelp, rows);
    this.gatherWater(bands, values, rows, sink);
    this.decide(bands, values, y, rows, sink);
    return { values, classes };
  }

  /** Bands for the indices: B05/B06 replaced by their sharpened versions where they are 20 m blocks. */
  private sharpenRedEdge(bands: BandArrays, rows: number, sink: StripSink): BandArrays {
    const nir = bands.get('B08');
    const red = bands.get('B04');
    if (this.plan.redEdge === 'native' || !nir || !red) return bands;
    const n = this.width * rows;
    let out: Map<BandName, Float32Array> | undefined;
    for (const name of this.sharpened) {
      const coarse = bands.get(name);
      if (!coarse) continue;
      const layout = detectBlocks(coarse, this.width, rows);
      if (!layout) continue;
      const nirMean = this.nirMean.subarray(0, n);
      const redMean = this.redMean.subarray(0, n);
      blockMeans(nir, this.width, rows, layout, nirMean);
      blockMeans(red, this.width, rows, layout, redMean);
      let sharp = this.sharpBuffers.get(name);
      if (!sharp) {
        sharp = new Float32Array(this.classes.length);
        this.sharpBuffers.set(name, sharp);
      }
      let regressed = false;
      let gain = NaN;
      if (this.plan.redEdge === 'aggregated') {
        // B06 + (B04 − block-mean B04): the index's B06 − B04 becomes B06 − block-mean B04.
        injectDetail(coarse, red, redMean, -1, sharp.subarray(0, n));
      } else {
        ({ gain, regressed } = regressGain(coarse, nirMean, redMean, this.width, rows, layout, this.plan.thresholds.kd));
        injectDetail(coarse, nir, nirMean, gain, sharp.subarray(0, n));
      }
      out ??= new Map(bands);
      out.set(name, sharp.subarray(0, n));
      if (name === 'B06') {
        sink.sharpening.strips++;
        if (regressed) {
          sink.sharpening.regressed++;
          sink.sharpening.gains.push(gain);
        }
      }
    }
    return out ?? bands;
  }

  /** `fringe[i] = 1` within FRINGE_PX of a kelp pixel of the strip (a separable max filter). */
  private markFringe(kelp: Uint8Array, rows: number): void {
    const { width } = this;
    const fringe = this.fringe.subarray(0, width * rows);
    fringe.fill(0);
    for (let r = 0; r < rows; r++) {
      const o = r * width;
      for (let x = 0; x < width; x++) {
        if (!kelp[o + x]) continue;
        for (let dx = -FRINGE_PX; dx <= FRINGE_PX; dx++) {
          const nx = x + dx;
          if (nx >= 0 && nx < width) fringe[o + nx] |= 1;
        }
      }
    }
    for (let r = 0; r < rows; r++) {
      for (let x = 0; x < width; x++) {
        if (!(fringe[r * width + x] & 1)) continue;
        for (let dy = -FRINGE_PX; dy <= FRINGE_PX; dy++) {
          const ny = r + dy;
          if (ny >= 0 && ny < rows) fringe[ny * width + x] |= 2;
        }
      }
    }
  }

  /**
   * Water statistics of the strip: per-cell FAI and B03 histograms, the scene FAI histogram, index
   * noise. One pass over the strip with every histogram's bins in local variables: this runs for
   * every water pixel of a tile, so it is written as a tight loop (the same bins as
   * `CellHistograms.add` and `Histogram.add`).
   */
  private gatherWater(bands: BandArrays, values: ReadonlyMap<string, Float32Array>, rows: number, sink: StripSink): void {
    const { width } = this;
    const cellsAcross = Math.ceil(width / WATER_CELL_PX);
    const fai = values.get('fai') as Float32Array;
    const green = bands.get('B03');
    const nir = bands.get('B08') as Float32Array;
    const red = bands.get('B04') as Float32Array;
    const classes = this.classes;
    const fringe = this.fringe;
    const faiCells = sink.waterCells;
    faiCells.clear();
    this.greenCells.clear();
    this.nirRedCells.clear();
    const noisy = this.noiseNames.map((name) => values.get(name) as Float32Array);
    const { counts: faiCounts, totals: faiTotals, bins: faiBins, min: faiMin, scale: faiScale } = faiCells;
    const { counts: greenCounts, totals: greenTotals, bins: greenBins, min: greenMin, scale: greenScale } = this.greenCells;
    const { counts: nrCounts, totals: nrTotals, bins: nrBins, min: nrMin, scale: nrScale } = this.nirRedCells;
    const scene = sink.waterFai;
    if (this.sceneBins.length !== scene.bins) this.sceneBins = new Float64Array(scene.bins);
    const sceneBins = this.sceneBins;
    sceneBins.fill(0);
    const sceneMin = scene.min;
    const sceneRange = scene.max - scene.min;
    const sceneCount = scene.bins;
    const waterCode = PIXEL.water;
    let sampled = 0;
    for (let r = 0; r < rows; r++) {
      const cellRow = ((r / WATER_CELL_PX) | 0) * cellsAcross;
      const o = r * width;
      for (let x = 0; x < width; x++) {
        const i = o + x;
        if (classes[i] !== waterCode) continue;
        if (sampled < NOISE_SAMPLES && i % NOISE_STRIDE === 0 && x + 2 < width && classes[i + 2] === waterCode) {
          sampled++;
          for (let k = 0; k < noisy.length; k++) sink.addNoise(k, Math.abs(noisy[k][i] - noisy[k][i + 2]));
        }
        const v = fai[i];
        if (fringe[i] || v !== v) continue;
        const cell = cellRow + ((x / WATER_CELL_PX) | 0);
        let bin = Math.floor((v - faiMin) * faiScale);
        faiCounts[cell * faiBins + (bin < 0 ? 0 : bin >= faiBins ? faiBins - 1 : bin)]++;
        faiTotals[cell]++;
        if (v - v === 0) {
          // Finite (Histogram.add leaves out ±Infinity).
          bin = Math.floor(((v - sceneMin) / sceneRange) * sceneCount);
          sceneBins[bin < 0 ? 0 : bin > sceneCount - 1 ? sceneCount - 1 : bin]++;
        }
        bin = Math.floor((nir[i] - red[i] - nrMin) * nrScale);
        nrCounts[cell * nrBins + (bin < 0 ? 0 : bin >= nrBins ? nrBins - 1 : bin)]++;
        nrTotals[cell]++;
        if (green) {
          const g = green[i];
          if (g === g) {
            bin = Math.floor((g - greenMin) * greenScale);
            greenCounts[cell * greenBins + (bin < 0 ? 0 : bin >= greenBins ? greenBins - 1 : bin)]++;
            greenTotals[cell]++;
          }
        }
      }
    }
    scene.addCounts(sceneBins);
    // The local water's green and NIR − red in each cell, from the nearest cell of the strip with enough water.
    const cells = cellsAcross * Math.ceil(rows / WATER_CELL_PX);
    for (const [histograms, reference] of [
      [this.greenCells, this.greenRef],
      [this.nirRedCells, this.nirRedRef],
    ] as const) {
      for (let c = 0; c < cells; c++) reference[c] = histograms.totals[c] >= MIN_CELL_WATER_PX ? histograms.quantile(c, 0.5) : NaN;
      fillFromNearest(reference.subarray(0, cells), cellsAcross);
    }
  }

  /** Mask codes, counts, candidates and near misses of the strip. */
  private decide(bands: BandArrays, values: ReadonlyMap<string, Float32Array>, y: number, rows: number, sink: StripSink): void {
    const { width, plan } = this;
    const { thresholds } = plan;
    const classes = this.classes;
    const kelp = this.kelp;
    const fai = values.get('fai') as Float32Array;
    const green = sink.shoreTest ? (bands.get('B03') as Float32Array) : undefined;
    const blue = bands.get('B02');
    const nir = bands.get('B08') as Float32Array;
    const red = bands.get('B04') as Float32Array;
    const swir = bands.get('B11') as Float32Array;
    const greenRef = this.greenRef;
    const nirRedRef = this.nirRedRef;
    const scores = this.scoreNames.map((name) => values.get(name) as Float32Array);
    const score = new Float32Array(scores.length);
    const cellsAcross = Math.ceil(width / WATER_CELL_PX);
    const { shoreGreenExcessMax, shoreRedBlueMin, shoreGreenPeakMin, shoreNirRedMin, swirLandMax } = thresholds;
    const faiMin = thresholds.fai;
    const weight = plan.spectral.faiBaselineWeight;
    // With the SWIR on the grid, a shore-zone pixel above the SWIR land threshold needs its blue at or above its SWIR to be canopy.
    const swirOnGrid = plan.swirOnGrid === true;
    const { mask, candidates, nearMiss } = sink;
    const { nodata: NODATA, cloud: CLOUD, shadow: SHADOW, water: WATER } = PIXEL;
    let nodata = 0;
    let cloud = 0;
    let shadow = 0;
    for (let r = 0; r < rows; r++) {
      const o = r * width;
      const cellRow = ((r / WATER_CELL_PX) | 0) * cellsAcross;
      let runStart = -1;
      for (let x = 0; x <= width; x++) {
        const i = o + x;
        let code: number = MASK.masked;
        if (x < width) {
          const cls = classes[i];
          if (cls === NODATA) nodata++;
          else if (cls === CLOUD) cloud++;
          else if (cls === SHADOW) shadow++;
          else {
            let sea = cls === WATER;
            let kelp10 = false;
            if (green) {
              const cell = cellRow + ((x / WATER_CELL_PX) | 0);
              // Land by its 10 m colour: red soil and sand, or a green peak; without B02, green above the local water.
              const seaLike = blue
                ? red[i] - blue[i] < shoreRedBlueMin && green[i] - 0.5 * (blue[i] + red[i]) < shoreGreenPeakMin
                : green[i] - greenRef[cell] < shoreGreenExcessMax;
              sea = seaLike;
              kelp10 =
                seaLike && (!swirOnGrid || swir[i] <= swirLandMax || (blue !== undefined && blue[i] >= swir[i])) && nir[i] - red[i] - nirRedRef[cell] >= shoreNirRedMin && shoreFai(nir[i], red[i], swir[i], swirLandMax, weight) >= faiMin;
            }
            if (cls !== WATER) code = !sea ? MASK.land : kelp10 ? MASK.shoreSeaKelp : MASK.shoreSeaWater;
            else if (!sea) code = MASK.colourLand;
            else code = kelp[i] ? (kelp10 || !green ? MASK.kelp : MASK.shoreMethodOnly) : kelp10 ? MASK.shoreTestOnly : MASK.water;
          }
          mask[i] = code;
        }
        // Candidates: kelp (1), and the shore step's shoreMethodOnly, shoreTestOnly and shoreSeaKelp (249–251).
        if (code !== MASK.kelp && (code < MASK.shoreMethodOnly || code > MASK.shoreSeaKelp)) {
          if (runStart >= 0) {
            candidates.runs.push(y + r, runStart, x, x - runStart);
            runStart = -1;
          }
          continue;
        }
        if (runStart < 0) runStart = x;
        for (let k = 0; k < scores.length; k++) score[k] = scores[k][i];
        candidates.values.push(fai[i], shoreFai(nir[i], red[i], swir[i], swirLandMax, weight), score);
      }
    }
    sink.counts.nodata += nodata;
    sink.counts.cloud += cloud;
    sink.counts.shadow += shadow;
    this.collectNearMiss(values, y, rows, sink, scores, score, nearMiss);
  }

  /** Open-water pixels 8-adjacent to method kelp in the strip, with their values. */
  private collectNearMiss(
    values: ReadonlyMap<string, Float32Array>,
    y: number,
    rows: number,
    sink: StripSink,
    scores: Float32Array[],
    score: Float32Array,
    nearMiss: NearMiss,
  ): void {
    const { width } = this;
    const { mask } = sink;
    const fai = values.get('fai') as Float32Array;
    const isKelp = (v: number) => v === MASK.kelp || v === MASK.shoreMethodOnly;
    const fringe = this.fringe;
    for (let r = 0; r < rows; r++) {
      for (let x = 0; x < width; x++) {
        const i = r * width + x;
        // Only water within the kelp's fringe can touch kelp.
        if (!fringe[i] || mask[i] !== MASK.water) continue;
        let beside = false;
        for (let dy = -1; dy <= 1 && !beside; dy++) {
          const ny = r + dy;
          if (ny < 0 || ny >= rows) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const nx = x + dx;
            if (nx >= 0 && nx < width && isKelp(mask[ny * width + nx])) {
              beside = true;
              break;
            }
          }
        }
        if (!beside) continue;
        for (let k = 0; k < scores.length; k++) score[k] = scores[k][i];
        nearMiss.rows.push(y + r);
        nearMiss.cols.push(x);
        nearMiss.values.push(fai[i], fai[i], score);
      }
    }
  }
}

/**
 * FAI with B11 capped at `swirLandMax`: in the shore zone the 20 m SWIR mixes in land, which
 * would pull FAI down; floating canopy and water are below the cap on their own. `weight` is the
 * sensor's FAI baseline weight.
 */
export function shoreFai(nir: number, red: number, swir: number, swirLandMax: number, weight: number): number {
  return nir - (red + ((swir < swirLandMax ? swir : swirLandMax) - red) * weight);
}

