import { describe, expect, it } from 'vitest';
import { MASK } from '../../../core/analysis/mask-values.js';
import { figuresOf, scoreMask } from '../../../core/accuracy/score.js';

describe('figuresOf', () => {
  it('gives the textbook figures of a confusion matrix', () => {
    // 40 kelp labelled: 35 found; 60 not kelp: 5 called kelp.
    const f = figuresOf({ truePositive: 35, falseNegative: 5, falsePositive: 5, trueNegative: 55 });
    expect(f.overallAccuracy).toBeCloseTo(0.9, 10);
    expect(f.producersAccuracy.kelp).toBeCloseTo(35 / 40, 10);
    expect(f.usersAccuracy.kelp).toBeCloseTo(35 / 40, 10);
    expect(f.producersAccuracy.other).toBeCloseTo(55 / 60, 10);
    // Chance agreement: (40·40 + 60·60) / 100² = 0.52; kappa = (0.9 − 0.52) / 0.48.
    expect(f.kappa).toBeCloseTo(0.38 / 0.48, 10);
    expect(f.iou).toBeCloseTo(35 / 45, 10);
    expect(f.areaBias).toBeCloseTo(0, 10);
  });
});

describe('scoreMask', () => {
  it('scores land as not kelp, leaves unobserved and mixed pixels out, and counts them', () => {
    const mask = Uint8Array.of(MASK.kelp, MASK.kelp, MASK.water, MASK.land, MASK.masked, MASK.water, MASK.kelp);
    const labels = Float32Array.of(1, 0, 0.9, 0.5, 1, 0.1, NaN);
    const f = scoreMask(mask, labels);
    expect(f.confusion).toEqual({ truePositive: 1, falsePositive: 1, falseNegative: 2, trueNegative: 0 });
    expect(f.pixels).toEqual({ scored: 4, mixed: 1, unlabelled: 1, unobservable: 1, labelledKelpUnobservable: 1 });
    expect(f.areaBias).toBeCloseTo(2 / 3 - 1, 10);
  });

  it('refuses labels on another grid size', () => {
    expect(() => scoreMask(new Uint8Array(4), new Float32Array(5))).toThrow(RangeError);
  });
});
