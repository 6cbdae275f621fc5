/**
 * Accuracy of a kelp mask against reference labels on the same grid: the confusion matrix and
 * the figures remote-sensing papers report (Congalton & Green, "Assessing the Accuracy of
 * Remotely Sensed Data", 3rd ed. 2019; Mora-Soto et al. 2020 report overall accuracy and kappa
 * for KD against UAV imagery): producer's and user's accuracy per class, overall accuracy,
 * Cohen's kappa, intersection over union of kelp, and the area bias.
 */
import { MASK } from '../analysis/mask-values.js';

/** How labels are read: a label is kelp at or above `minFraction`, not kelp at or below `maxNonKelp`. */
export interface LabelRule {
  /** Default 0.2: a pixel at least a fifth covered is kelp (fraction labels; binary labels are 0 or 1). */
  minFraction: number;
  /** Default 0: only pixels with no canopy at all are "not kelp"; those in between are mixed and not scored. */
  maxNonKelp: number;
}

export const DEFAULT_LABEL_RULE: LabelRule = { minFraction: 0.2, maxNonKelp: 0 };

/** Counts of the two-class confusion matrix (kelp is the positive class). */
export interface Confusion {
  /** Labelled kelp, found kelp. */
  truePositive: number;
  /** Labelled not kelp, found kelp. */
  falsePositive: number;
  /** Labelled kelp, not found (water or land in the analysis). */
  falseNegative: number;
  trueNegative: number;
}

/** The standard accuracy figures, all 0–1 (kappa −1–1); NaN where a denominator is 0. */
export interface AccuracyFigures {
  confusion: Confusion;
  /** Pixels scored, and those left out: mixed labels, unlabelled, unobservable in the analysis. */
  pixels: { scored: number; mixed: number; unlabelled: number; unobservable: number; labelledKelpUnobservable: number };
  /** Producer's accuracy (recall) of kelp and of not-kelp. */
  producersAccuracy: { kelp: number; other: number };
  /** User's accuracy (precision) of kelp and of not-kelp. */
  usersAccuracy: { kelp: number; other: number };
  overallAccuracy: number;
  kappa: number;
  /** Intersection over union of kelp: TP / (TP + FP + FN). */
  iou: number;
  /** Kelp area found over kelp area labelled, minus 1, on the scored pixels (binary areas). */
  areaBias: number;
}

/**
 * Scores `mask` (the analysis mask values: 1 kelp, 0 water, `MASK.land` land, 255 not
 * observable) against `labels` (canopy fraction 0–1 or 0/1 per pixel, NaN where unlabelled), both
 * row-major on the same grid. Land in the analysis counts as "not kelp" (a kelp label there is a
 * miss); cloud, shadow and nodata are not scored.
 *
 * @example
 * ```ts
 * const figures = scoreMask(mask, labels);
 * figures.kappa; // Cohen's kappa
 * ```
 */
export function scoreMask(mask: Uint8Array, labels: Float32Array, rule: LabelRule = DEFAULT_LABEL_RULE): AccuracyFigures {
  if (mask.length !== labels.length) throw new RangeError(`mask has ${mask.length} pixels, labels ${labels.length}`);
  const confusion: Confusion = { truePositive: 0, falsePositive: 0, falseNegative: 0, trueNegative: 0 };
  const pixels = { scored: 0, mixed: 0, unlabelled: 0, unobservable: 0, labelledKelpUnobservable: 0 };
  for (let i = 0; i < mask.length; i++) {
    const label = labels[i];
    if (Number.isNaN(label)) {
      pixels.unlabelled++;
      continue;
    }
    const value = mask[i];
    const labelledKelp = label >= rule.minFraction;
    if (value !== MASK.kelp && value !== MASK.water && value !== MASK.land) {
      pixels.unobservable++;
      if (labelledKelp) pixels.labelledKelpUnobservable++;
      continue;
    }
    if (!labelledKelp && label > rule.maxNonKelp) {
      pixels.mixed++;
      continue;
    }
    pixels.scored++;
    const found = value === MASK.kelp;
    if (labelledKelp) {
      if (found) confusion.truePositive++;
      else confusion.falseNegative++;
    } else if (found) confusion.falsePositive++;
    else confusion.trueNegative++;
  }
  return { confusion, pixels, ...figuresOf(confusion) };
}

/** The figures of a confusion matrix. */
export function figuresOf(c: Confusion): Omit<AccuracyFigures, 'confusion' | 'pixels'> {
  const { truePositive: tp, falsePositive: fp, falseNegative: fn, trueNegative: tn } = c;
  const n = tp + fp + fn + tn;
  const overall = (tp + tn) / n;
  // Chance agreement from the row and column totals (Cohen 1960).
  const expected = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / (n * n);
  return {
    producersAccuracy: { kelp: tp / (tp + fn), other: tn / (tn + fp) },
    usersAccuracy: { kelp: tp / (tp + fp), other: tn / (tn + fn) },
    overallAccuracy: overall,
    kappa: expected === 1 ? NaN : (overall - expected) / (1 - expected),
    iou: tp / (tp + fp + fn),
    areaBias: (tp + fp) / (tp + fn) - 1,
  };
}
