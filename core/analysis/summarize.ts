import { describeMap } from '../artifacts/map-overlay.js';
import { type BandStack, sensorBandName } from '../raster/band-stack.js';
import { wgs84Bounds } from '../raster/crs.js';
import { type Grid, gridBounds } from '../raster/grid.js';
import type { AreaRanges } from './area-ranges.js';
import type { Bed } from './bed-areas.js';
import { UNCERTAINTY, estimateStock } from './biomass.js';
import type { AnalyzeCommand } from './command.js';
import type { Range, SpeciesFactors } from './factors.js';
import type { MethodPlugin } from './methods/method-plugin.js';
import { type AnalysisOptions, areaModeOf } from './options.js';
import type { AnalysisResult, Artifact, FractionSummary, Warning } from './result.js';
import type { SceneScan } from './scan.js';
import { INTERIOR_M, fullCoverRules } from './endmembers.js';
import type { Thresholds } from './thresholds.js';

export interface ResultParts {
  command: AnalyzeCommand;
  options: AnalysisOptions;
  stack: BandStack;
  grid: Grid;
  scan: SceneScan;
  beds: Bed[];
  dropped: number;
  method: MethodPlugin;
  thresholds: Thresholds;
  fraction: FractionSummary;
  ranges: AreaRanges;
  factors: SpeciesFactors;
  artifacts: Artifact[];
  codeVersion: string;
  createdAt: string;
  timings: Record<string, number>;
}

/** Share of valid pixels masked as cloud or shadow above which the result says so. */
const CLOUDY_SHARE = 0.5;

/** Assembles `AnalysisResult` v1 from the analysis's parts. Pure. */
export function buildResult(parts: ResultParts): AnalysisResult {
  const { scan, beds, grid, stack, factors } = parts;
  const options = { ...parts.options, areaMode: areaModeOf(parts.options, stack.sensor) };
  const binaryAreaM2 = beds.reduce((sum, bed) => sum + bed.binaryAreaM2, 0);
  const fractionalAreaM2 = beds.reduce((sum, bed) => sum + bed.fractionalAreaM2, 0);
  const areaM2 = options.areaMode === 'binary' ? binaryAreaM2 : fractionalAreaM2;
  const areaRange = options.areaMode === 'binary' ? parts.ranges.binaryM2 : parts.ranges.fractionalM2;
  const stock = estimateStock(areaRange, factors);
  const { threshold, canopyEndMember, waterEndMember } = parts.ranges.parts;
  const t = grid.transform;
  const rules = Object.values(stack.rules);
  return {
    schemaVersion: 1,
    id: parts.command.id,
    createdAt: parts.createdAt,
    source: {
      ...parts.command.source,
      layout: parts.command.input.kind,
      sensor: stack.sensor.id,
      sensorLabel: `${stack.sensor.label}, ${stack.sensor.product}`,
      bands: stack.bands,
      bandRoles: stack.bandRoles,
      pixelSizeM: grid.crs.kind === 'projected' ? Math.abs(t.pixelWidth) : stack.sensor.pixelSizeM,
      reflectance: rules[0] ?? { kind: 'float', scale: 1, offset: 0, origin: 'file' },
    },
    grid: {
      width: grid.width,
      height: grid.height,
      crs: `EPSG:${grid.crs.epsg}`,
      pixelSizeM: grid.crs.kind === 'projected' ? Math.abs(t.pixelWidth) : NaN,
      transform: [t.originX, t.pixelWidth, 0, t.originY, 0, t.pixelHeight],
      bbox: gridBounds(grid),
      bboxWgs84: wgs84Bounds(grid),
    },
    pixels: scan.counts,
    kelp: {
      areaM2: round(areaM2),
      areaHa: round(areaM2 / 10_000, 4),
      areaMode: options.areaMode,
      binaryAreaM2: round(binaryAreaM2),
      fractionalAreaM2: round(fractionalAreaM2),
      beds: beds.length,
      bedsDropped: parts.dropped,
      largestBedM2: round(Math.max(0, ...beds.map((bed) => (options.areaMode === 'binary' ? bed.binaryAreaM2 : bed.fractionalAreaM2)))),
      areaRangeM2: roundRange(areaRange),
      binaryAreaRangeM2: roundRange(parts.ranges.binaryM2),
      fractionalAreaRangeM2: roundRange(parts.ranges.fractionalM2),
      fraction: roundFraction(parts.fraction),
      shore: {
        test: scan.shore.test,
        zoneKelpPixels: scan.shore.zoneKelp,
        zoneKelpDroppedPixels: scan.shore.zoneKelpDropped,
        seaUnderSwirLandPixels: scan.shore.seaUnderSwirLand,
      },
      redEdge: {
        sharpened: scan.sharpening.strips > 0,
        stripsSharpened: scan.sharpening.strips,
        stripsRegressed: scan.sharpening.regressed,
        gain: Number.isNaN(scan.sharpening.gain) ? null : round(scan.sharpening.gain, 3),
      },
    },
    biomass: { wetKg: roundRange(stock.wetKg), dryKg: roundRange(stock.dryKg) },
    carbon: { kgC: roundRange(stock.kgC), kgCO2e: roundRange(stock.kgCO2e) },
    method: {
      name: parts.method.name,
      description: parts.method.description,
      species: options.species,
      thresholds: { ...parts.thresholds },
      ...(Object.keys(stack.sensor.thresholdNotes).length ? { thresholdNotes: { ...stack.sensor.thresholdNotes } } : {}),
      minBedAreaM2: options.minBedAreaM2,
      factors: { ...factors },
      uncertainty: UNCERTAINTY,
      areaUncertainty: {
        thresholdSigmas: threshold.sigmas,
        indexNoise: Object.fromEntries(Object.entries(threshold.noise).map(([name, sigma]) => [name, round(sigma, 6)])),
        thresholdBinaryM2: roundPair(threshold.binary),
        thresholdFractionalM2: roundPair(threshold.fractional),
        canopyEndMemberM2: roundPair(canopyEndMember),
        waterEndMemberM2: roundPair(waterEndMember),
      },
      standingStockNote: 'standing stock of the surface canopy at acquisition time, not sequestration',
      codeVersion: parts.codeVersion,
    },
    map: describeMap(grid, parts.artifacts),
    artifacts: parts.artifacts.map((a) => ({ name: a.name, contentType: a.contentType, bytes: a.bytes.byteLength })),
    warnings: collectWarnings(parts),
    timings: parts.timings,
  };
}

function collectWarnings({ stack, scan, factors, method, fraction, beds, options, grid }: ResultParts): Warning[] {
  const warnings: Warning[] = [];
  const rules = Object.entries(stack.rules);
  const assumed = rules.filter(([, rule]) => rule?.kind === 'assumed-pre-2022').map(([band]) => band);
  if (assumed.length) {
    warnings.push({
      code: 'BOA_OFFSET_ASSUMED',
      message: `no scale/offset or BOA_ADD_OFFSET found for ${assumed.join(', ')}: reflectance = DN / 10000 (processing baseline before 04.00). For products from 25 January 2022 or later pass boaOffset -1000, or reflectance reads 0.1 too high`,
    });
  }
  const sensor = stack.sensor;
  const s2 = sensor.id === 'sentinel-2';
  if (!stack.has('SCL')) {
    const quality = sensor.quality.band;
    warnings.push({
      code: s2 ? 'NO_SCL' : 'NO_QUALITY_BAND',
      message: `no ${quality} band: clouds are masked by brightness only and cloud shadows are not masked${s2 ? '' : ` (give the product's ${quality} file for ${sensor.label}'s own cloud and shadow masks)`}`,
    });
  }
  if (!stack.has('B03')) {
    const green = sensorBandName(sensor, 'B03');
    warnings.push({
      code: 'NO_GLINT_GUARD',
      message: s2
        ? 'no B03 band: the glint guard and the 10 m shore test are off, so glinted water and canopy may be masked as land and water within 20 m of land is not analysed'
        : `no ${green} band (green): the glint guard and the shore test are off, so glinted water and canopy may be masked as land and water beside land is not analysed`,
    });
  }
  const pixelAreaM2 = Math.abs(grid.transform.pixelWidth * grid.transform.pixelHeight);
  if (grid.crs.kind === 'projected' && options.minBedAreaM2 <= pixelAreaM2 && pixelAreaM2 >= 400) {
    warnings.push({
      code: 'COARSE_PIXELS',
      message: `${Math.abs(grid.transform.pixelWidth)} m pixels (${Math.round(pixelAreaM2)} m² each): the smallest bed, ${options.minBedAreaM2} m², is not more than one pixel, so a single pixel of canopy counts as a bed. ${sensor.resolutionNote}`,
    });
  }
  if (method.name === 'ndvi') {
    warnings.push({ code: 'NDVI_GLINT', message: 'NDVI is not glint-invariant: glint pulls it towards 0; prefer kd or fai in glinted scenes' });
  }
  const masked = scan.counts.cloud + scan.counts.shadow;
  if (scan.counts.valid > 0 && masked / scan.counts.valid > CLOUDY_SHARE) {
    warnings.push({
      code: 'MOSTLY_CLOUDY',
      message: `${Math.round((100 * masked) / scan.counts.valid)} % of valid pixels are cloud or shadow: kelp under them is not counted`,
    });
  }
  if (fraction.waterFaiSource === 'default') {
    warnings.push({ code: 'WATER_ENDMEMBER_DEFAULT', message: 'too little open water to measure its FAI: fractional cover uses a default clear-water end-member' });
  }
  if (fraction.canopyFaiSource === 'default' && beds.length > 0) {
    warnings.push({
      code: 'CANOPY_ENDMEMBER_DEFAULT',
      message: `no bed is large enough to measure the FAI of full canopy cover (a bed needs ${fullCoverRules(Math.abs(grid.transform.pixelWidth)).minPixels} pixels of uniform dense canopy ${INTERIOR_M} m inside its outline): fractional cover uses a default end-member, and its range is wide`,
    });
  }
  if (factors.caveat) warnings.push({ code: 'SPECIES_FACTORS', message: factors.caveat });
  if (beds.length === 0 && scan.counts.water === 0) {
    warnings.push({ code: 'NO_WATER', message: 'no open water found: the scene is land, cloud or nodata, so no kelp can be found' });
  }
  return warnings;
}

function roundFraction(f: FractionSummary): FractionSummary {
  return {
    ...f,
    canopyFai: round(f.canopyFai, 5),
    canopyFaiRange: [round(f.canopyFaiRange[0], 5), round(f.canopyFaiRange[1], 5)],
    waterFai: round(f.waterFai, 5),
    waterFaiRange: [round(f.waterFaiRange[0], 5), round(f.waterFaiRange[1], 5)],
  };
}

function roundPair(pair: [number, number]): [number, number] {
  return [round(pair[0]), round(pair[1])];
}

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function roundRange(range: Range): Range {
  return { low: round(range.low), central: round(range.central), high: round(range.high) };
}
