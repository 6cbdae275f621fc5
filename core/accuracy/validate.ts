/**
 * Scoring the analysis against a user's own labels, per method, the way kelp-mapping papers
 * report accuracy (Mora-Soto et al. 2020 report, for KD against UAV imagery at Chilean sites,
 * overall accuracy ≈ 88 % and kappa ≈ 0.66), so users can check a method on their coast.
 */
import { analyzeScene, type AnalyzeDeps } from '../analysis/analyze.js';
import type { AnalyzeCommand } from '../analysis/command.js';
import { getMethod } from '../analysis/methods/registry.js';
import { parseAnalysisOptions } from '../analysis/options.js';
import { crsFromEpsg } from '../raster/crs.js';
import type { Grid } from '../raster/grid.js';
import type { SceneLabels } from './labels.js';
import { type AccuracyFigures, DEFAULT_LABEL_RULE, type LabelRule, scoreMask } from './score.js';

/** What to validate: a scene (as `analyzeScene` takes it), its labels, the methods to score. */
export interface ValidateCommand {
  scene: Omit<AnalyzeCommand, 'id' | 'options'>;
  /** Analysis options other than the method (bands, boaOffset…), as given; parsed per method. */
  options?: Record<string, unknown>;
  /** Reads the labels onto the scene's grid (called once, after the first analysis). */
  labels(grid: Grid): Promise<SceneLabels>;
  methods: readonly string[];
  rule?: LabelRule;
}

/** One method's figures. */
export interface MethodValidation {
  method: string;
  figures: AccuracyFigures;
  /** The scene's kelp areas as the analysis reports them (whole scene, m²). */
  binaryAreaM2: number;
  fractionalAreaM2: number;
}

/** `validation.json`. */
export interface ValidationReport {
  schemaVersion: 1;
  scene: { uri: string; grid: { width: number; height: number; crs: string; pixelSizeM: number } };
  labels: { description: string; labelledPixels: number; kelpPixels: number; rule: LabelRule };
  methods: MethodValidation[];
  /** How to read the figures. */
  notes: string[];
}

/**
 * Analyses the scene with each method and scores its mask against the labels.
 *
 * @example
 * ```ts
 * const report = await validateScene({ scene, labels: (grid) => labelsFromTiff(source, grid), methods: ['kd', 'fai'] }, deps);
 * ```
 */
export async function validateScene(command: ValidateCommand, deps: AnalyzeDeps): Promise<ValidationReport> {
  for (const method of command.methods) getMethod(method);
  const rule = command.rule ?? DEFAULT_LABEL_RULE;
  let labels: SceneLabels | undefined;
  let grid: ValidationReport['scene']['grid'] | undefined;
  const methods: MethodValidation[] = [];
  for (const method of command.methods) {
    const options = parseAnalysisOptions({ ...command.options, method });
    const { result, mask } = await analyzeScene({ ...command.scene, id: `validate-${method}`, options }, deps);
    if (!labels) {
      const [originX, pixelWidth, , originY, , pixelHeight] = result.grid.transform;
      const sceneGrid: Grid = { width: result.grid.width, height: result.grid.height, crs: crsFromEpsg(Number(result.grid.crs.slice(5))), transform: { originX, originY, pixelWidth, pixelHeight } };
      labels = await command.labels(sceneGrid);
      grid = { width: result.grid.width, height: result.grid.height, crs: result.grid.crs, pixelSizeM: result.grid.pixelSizeM };
    }
    methods.push({ method, figures: scoreMask(mask, labels.values, rule), binaryAreaM2: result.kelp.binaryAreaM2, fractionalAreaM2: result.kelp.fractionalAreaM2 });
  }
  if (!labels || !grid) throw new Error('no method to validate');
  return {
    schemaVersion: 1,
    scene: { uri: command.scene.source.uri, grid },
    labels: { description: labels.description, labelledPixels: labels.labelled, kelpPixels: labels.kelp, rule },
    methods,
    notes: [
      `a label is kelp at canopy fraction ≥ ${rule.minFraction}, not kelp at ${rule.maxNonKelp === 0 ? '0' : `≤ ${rule.maxNonKelp}`}; labels in between are mixed pixels and are not scored`,
      'pixels the analysis could not observe (cloud, shadow, nodata) are not scored; land in the analysis counts as "not kelp"',
      'producer’s accuracy of kelp is recall (labelled kelp found); user’s accuracy is precision (kelp found that is labelled kelp)',
      'area bias compares binary areas on the scored pixels: kelp found ÷ kelp labelled − 1',
      'for reference, Mora-Soto et al. 2020 report overall accuracy ≈ 88 % and kappa ≈ 0.66 for KD against UAV imagery at Chilean sites',
    ],
  };
}
