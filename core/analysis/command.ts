import type { SceneInput } from '../raster/band-stack.js';
import type { PixelWindow } from '../raster/grid.js';
import type { LonLatPolygons } from './aoi-mask.js';
import type { AnalysisOptions } from './options.js';
import type { ResultSource } from './result.js';
import type { SensorId } from '../sensors/registry.js';

/** What to analyse (see `analyzeScene`). */
export interface AnalyzeCommand {
  id: string;
  input: SceneInput;
  /** Options validated where they came in (`parseAnalysisOptions`); the defaults when omitted. */
  options?: AnalysisOptions;
  source: Pick<ResultSource, 'uri'> & Partial<Pick<ResultSource, 'etag' | 'sceneId' | 'acquiredAt' | 'processingBaseline' | 'files' | 'stac'>>;
  /** A window of the scene's 10 m grid (an area of interest); the whole scene by default. */
  window?: PixelWindow;
  /**
   * The exact area of interest (GeoJSON MultiPolygon coordinates, WGS 84) inside `window`: pixels
   * whose centre lies outside it are not observed (counted in `pixels.outsideAoi`, not analysed).
   */
  aoi?: LonLatPolygons;
  /**
   * The sensor the input turned out to be (a Landsat folder's file names or MTL, a STAC item's
   * collection); the options' `sensor` must agree. Default: the options', else Sentinel-2.
   */
  sensor?: SensorId;
  /** BOA_ADD_OFFSET from a STAC item; a request's `boaOffset` option still wins. */
  stacBoaOffset?: number;
}
