import type { LonLatPolygons } from './aoi-mask.js';
import type { UncertaintyNote } from './biomass.js';
import type { Range } from './factors.js';
import type { LayerName } from './options.js';
import type { PixelCounts } from './scan.js';

/** A note the user should read with the figures: a code to match on and a sentence to show. */
export interface Warning {
  code: string;
  message: string;
}

/** What was analysed. */
export interface ResultSource {
  /** The key, path or URL of the image (or of its first band). */
  uri: string;
  etag?: string;
  sceneId?: string;
  acquiredAt?: string;
  processingBaseline?: string;
  /** The file read for each band, for a scene given as a .SAFE, a folder or a list of band files (paths within it). */
  files?: Record<string, string>;
  /** For scenes found in a STAC catalog: which, where, for what area, and the offset used. */
  stac?: StacSourceInfo;
  layout: 'multiband' | 'per-band';
  /** The instrument (`sentinel-2`, `landsat-8`, `landsat-9`) and what it was, in words. */
  sensor: string;
  sensorLabel: string;
  /** Band slots read (`B04`… as the analysis names them; see docs/science.md, sensors). */
  bands: string[];
  /** The sensor's band read for each role: `{ red: 'B04', nir: 'B08', … }`, `{ red: 'SR_B4', nir: 'SR_B5', … }`. */
  bandRoles: Record<string, string>;
  /** The analysis grid's pixel size (m; the finest band's). */
  pixelSizeM: number;
  /** How DN became reflectance, per band group. */
  reflectance: { kind: string; scale: number; offset: number; boaAddOffset?: number; origin: string };
}

/** What a STAC analysis records about its scene (docs/design.md, `source`). */
export interface StacSourceInfo {
  catalog: string;
  collection?: string;
  itemId: string;
  /** `earth-search` (asset keys red, nir…) or `planetary-computer` (B04, B08…). */
  convention: string;
  cloudCover?: number;
  /** The area of interest as asked, and the analysed window of the scene's 10 m grid. */
  aoi: {
    bboxWgs84: [number, number, number, number];
    point?: { lat: number; lng: number };
    bufferKm?: number;
    /** The exact area (a monitored site's polygons): only pixels inside it were counted. */
    geometry?: { type: 'MultiPolygon'; coordinates: LonLatPolygons };
  };
  window: { x0: number; y0: number; width: number; height: number };
  /** BOA_ADD_OFFSET used (DN), and the item field it came from; absent when the item gave none. */
  boaAddOffset?: number;
  offsetSource?: string;
  /** Asset key per band read. */
  assets: Record<string, string>;
  /** HTTP range requests and bytes read from the band files. */
  io?: { requests: number; bytes: number };
}

/** Kelp canopy found. */
export interface KelpSummary {
  /** The area in the chosen mode, m². */
  areaM2: number;
  areaHa: number;
  areaMode: 'binary' | 'fractional';
  /** Kelp pixels × pixel area. */
  binaryAreaM2: number;
  /** Σ canopy fraction × pixel area over kelp pixels. */
  fractionalAreaM2: number;
  beds: number;
  /** Beds under `minBedAreaM2`, dropped from every figure. */
  bedsDropped: number;
  largestBedM2: number;
  /** Range of the area in the chosen mode (m²): what it includes is in `method.uncertainty`. */
  areaRangeM2: Range;
  /** Ranges of both areas (m²). */
  binaryAreaRangeM2: Range;
  fractionalAreaRangeM2: Range;
  /** The end-members of fractional cover and how they were found. */
  fraction: FractionSummary;
  /** How the shore zone and the red edge were handled. */
  shore: { test: boolean; zoneKelpPixels: number; zoneKelpDroppedPixels: number; seaUnderSwirLandPixels: number };
  redEdge: { sharpened: boolean; stripsSharpened: number; stripsRegressed: number; gain: number | null };
}

/** End-members of fractional cover (`result.kelp.fraction`). */
export interface FractionSummary {
  /**
   * Full-canopy FAI of the scene: the median of the beds' own end-members (`scene`), the value
   * given with the request (`request`), or the default when no bed had enough interior
   * (`default`). Beds with enough interior use their own.
   */
  canopyFai: number;
  canopyFaiSource: 'scene' | 'default' | 'request';
  /** Interior pixels the scene's value rests on, and beds that have their own. */
  canopyFaiPixels: number;
  bedsWithOwnCanopyFai: number;
  /** Smallest and largest own value among the beds. */
  canopyFaiRange: [number, number];
  /** Median open-water FAI of the scene (for reference; each pixel uses its local water). */
  waterFai: number;
  /** `local`: a grid of 320 m cells; `scene`: too few cells, the scene median; `default`: too little water. */
  waterFaiSource: 'local' | 'scene' | 'default';
  /** Cells with enough open water to measure, and the 5th–95th percentile of their water FAI. */
  waterCells: number;
  waterFaiRange: [number, number];
}

/**
 * The result of one analysis, `schemaVersion: 1`. Written as `result.json`, last, beside the
 * artifacts: its presence means the analysis is complete.
 */
export interface AnalysisResult {
  schemaVersion: 1;
  id: string;
  createdAt: string;
  source: ResultSource;
  grid: {
    width: number;
    height: number;
    crs: string;
    pixelSizeM: number;
    /** GDAL-order geotransform `[originX, pixelWidth, 0, originY, 0, pixelHeight]`. */
    transform: [number, number, number, number, number, number];
    bbox: [number, number, number, number];
    bboxWgs84: [number, number, number, number];
  };
  pixels: PixelCounts;
  kelp: KelpSummary;
  biomass: { wetKg: Range; dryKg: Range };
  carbon: { kgC: Range; kgCO2e: Range };
  method: {
    name: string;
    description: string;
    species: string;
    thresholds: Record<string, number>;
    /** For a sensor other than Sentinel-2 (on which the thresholds were calibrated): why each of its thresholds holds for it. */
    thresholdNotes?: Record<string, string>;
    minBedAreaM2: number;
    factors: Record<string, unknown>;
    /** What each range includes and how the parts are combined. */
    uncertainty: UncertaintyNote;
    /** The area range's parts (m², below and above) and the index noise behind the threshold part. */
    areaUncertainty: AreaUncertainty;
    standingStockNote: string;
    codeVersion: string;
  };
  /** The map images, on a Web Mercator grid for web maps (absent in results written before them). */
  map?: ResultMap;
  artifacts: Array<{ name: string; contentType: string; bytes: number }>;
  warnings: Warning[];
  timings: Record<string, number>;
}

/**
 * Where the map images are: each a regular EPSG:3857 grid of square pixels over the same bounds,
 * so `L.imageOverlay(url, [[south, west], [north, east]])` on a Web Mercator map puts every pixel
 * in place (see core/artifacts/map-overlay.ts for why a UTM-gridded PNG would not).
 */
export interface ResultMap {
  crs: 'EPSG:3857';
  /** Lat/lng of the images' outer pixel edges, `[west, south, east, north]` (WGS 84 degrees). */
  boundsWgs84: [number, number, number, number];
  /** The same edges in EPSG:3857 metres, `[minX, minY, maxX, maxY]`. */
  bounds: [number, number, number, number];
  width: number;
  height: number;
  /** Pixel side of the kelp image in EPSG:3857 metres (ground metres ÷ cos latitude). */
  pixelSizeM: number;
  /**
   * Size of the layer images: the same bounds, an integer factor coarser than the kelp image when
   * the scene is over 2048 px (layers are block-averaged to at most 2048 px before they are drawn).
   */
  layerWidth: number;
  layerHeight: number;
  /** Cap on the longest side, px: larger scenes are drawn coarser (4096, `MAX_MAP_SIDE`). */
  maxSide: number;
  resampling: 'nearest';
  /** The kelp overlay, `map/kelp.png`. */
  kelp: string;
  /** The requested index layers, e.g. `{ rgb: 'map/rgb.png' }`. */
  layers: Partial<Record<LayerName, string>>;
}

/** An artifact written beside `result.json`. */
export interface Artifact {
  name: string;
  contentType: string;
  bytes: Uint8Array;
}

/** The parts of the area ranges (`result.method.areaUncertainty`). */
export interface AreaUncertainty {
  thresholdSigmas: number;
  /** Pixel noise (σ) of each index over open water. */
  indexNoise: Record<string, number>;
  thresholdBinaryM2: [number, number];
  thresholdFractionalM2: [number, number];
  canopyEndMemberM2: [number, number];
  waterEndMemberM2: [number, number];
}

