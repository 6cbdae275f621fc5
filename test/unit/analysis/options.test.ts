import { describe, expect, it } from 'vitest';
import { deriveAnalysisId } from '../../../core/analysis/ids.js';
import { parseAnalysisOptions } from '../../../core/analysis/options.js';

describe('parseAnalysisOptions', () => {
  it('fills the defaults and refuses unknown fields by name', () => {
    expect(parseAnalysisOptions({})).toEqual({ method: 'kd', species: 'macrocystis', minBedAreaM2: 500, areaMode: 'binary' });
    expect(() => parseAnalysisOptions({ metod: 'kd' })).toThrow(/metod/);
    expect(() => parseAnalysisOptions({ layers: ['rgb', 'lidar'] })).toThrow(/layers/);
  });

  it('gives equivalent options one form, so they give one analysis id', async () => {
    const id = async (input: unknown) => deriveAnalysisId(['store', 'key', 'etag', JSON.stringify(parseAnalysisOptions(input))]);
    expect(parseAnalysisOptions({ layers: ['kd', 'rgb', 'kd'] }).layers).toEqual(['rgb', 'kd']);
    expect(await id({ layers: ['fai', 'rgb'] })).toBe(await id({ layers: ['rgb', 'fai'] }));
    expect(await id({ layers: [] })).toBe(await id({}));
    expect(await id({ layers: ['rgb'] })).not.toBe(await id({}));
  });
});
