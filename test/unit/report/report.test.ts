import { describe, expect, it } from 'vitest';
import { formatHaFromM2, formatPercent, formatRangeTonnes } from '../../../core/report/format.js';
import { THRESHOLD_LABELS, describe as describeName, words } from '../../../core/report/labels.js';
import { observableShare, pixelShares } from '../../../core/report/pixels.js';
import { inPlainWords } from '../../../core/report/plain-words.js';
import { DEFAULT_THRESHOLDS } from '../../../core/analysis/thresholds.js';
import { SPECIES_FACTORS } from '../../../core/analysis/factors.js';
import { FACTOR_LABELS } from '../../../core/report/labels.js';

describe('figures for people (core/report)', () => {
  it('rounds areas to 2 decimals of a hectare and writes tonnes, as the page and the CLI both show them', () => {
    expect(formatHaFromM2(925_812.4)).toBe('92.58 ha');
    expect(formatHaFromM2(470_812)).toBe('47.08 ha');
    expect(formatRangeTonnes({ low: 0, central: 0, high: 0 }, 't')).toBe('0–0 t (central 0 t)');
    expect(formatPercent(1, 3)).toBe('33.3 %');
    expect(formatPercent(0, 0)).toBe('0 %');
  });

  it('splits the scene into classes that add up to all of it, in bar order, with a newer class as "other"', () => {
    const pixels = { total: 1000, valid: 990, nodata: 10, cloud: 50, shadow: 40, land: 300, coast: 0, water: 560, kelp: 35 };
    const shares = pixelShares({ ...pixels, total: 1005 });
    expect(shares.map((s) => s.key)).toEqual(['kelp', 'water', 'land', 'cloud', 'shadow', 'nodata', 'other']);
    expect(shares.reduce((sum, s) => sum + s.share, 0)).toBeCloseTo(1, 10);
    expect(observableShare(pixels)).toBeCloseTo(0.595, 10);
  });

  it('labels every threshold and factor the core has, and writes an unknown one in words', () => {
    expect(Object.keys(DEFAULT_THRESHOLDS).filter((name) => !THRESHOLD_LABELS[name])).toEqual([]);
    const factorNames = Object.keys(SPECIES_FACTORS.macrocystis).filter((name) => name !== 'caveat');
    expect(factorNames.filter((name) => !FACTOR_LABELS[name])).toEqual([]);
    expect(describeName(THRESHOLD_LABELS, 'waterFaiMaxPercentile').label).toBe('Water fai max percentile');
    expect(words('area_mode')).toBe('Area mode');
  });

  it.each([
    ['… or later pass boaOffset -1000, or …', '… or later pass --boa-offset -1000, or …', '… or later set the reflectance offset (under Options) to -1000, or …'],
    ['widen the dates or raise maxCloudCover', 'widen the dates or raise --max-cloud', 'widen the dates or raise the cloud limit'],
    ['invalid analysis options: minBedAreaM2: Too small', 'invalid analysis options: --min-bed-area: Too small', 'invalid analysis options: the smallest bed: Too small'],
    ['upload it first (POST /api/uploads)', 'upload it first', 'upload it first'],
    ['none is configured (set KELPIE_STAC_URL)', 'none is configured (set KELPIE_STAC_URL)', 'none is configured (ask whoever runs this service to set one up)'],
  ])('says "%s" as "%s" at a terminal and "%s" on the page', (message, cli, page) => {
    expect(inPlainWords(message, 'cli')).toBe(cli);
    expect(inPlainWords(message, 'page')).toBe(page);
  });
});
