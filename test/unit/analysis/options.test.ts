import { describe, expect, it } from 'vitest';
import { deriveAnalysisId } from '../../../core/analysis/ids.js';
import { areaModeOf, methodOf, parseAnalysisOptions, sensorOf } from '../../../core/analysis/options.js';
import { getSensor } from '../../../core/sensors/registry.js';

describe('parseAnalysisOptions', () => {
  it('fills the defaults and refuses unknown fields by name', () => {
    // No method or area mode: the sensor's defaults, decided once the sensor is known.
    expect(parseAnalysisOptions({})).toEqual({ species: 'macrocystis', minBedAreaM2: 500 });
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

  it('defaults the method by sensor and refuses one the sensor cannot run, naming those it can', () => {
    expect(methodOf(parseAnalysisOptions({}), getSensor('sentinel-2'))).toBe('kd');
    expect(methodOf(parseAnalysisOptions({}), getSensor('landsat-8'))).toBe('fai');
    expect(methodOf(parseAnalysisOptions({ method: 'consensus' }), getSensor('landsat-9'))).toBe('consensus');
    for (const method of ['kd', 'ndre']) {
      let error: unknown;
      try {
        methodOf(parseAnalysisOptions({ method }), getSensor('landsat-8'));
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ code: 'UNSUPPORTED_METHOD', kind: 'invalid' });
      expect((error as Error).message).toMatch(new RegExp(`"${method}" cannot run on Landsat 8 OLI: it needs red-edge bands.*"fai", "ndvi", "consensus"`));
    }
    expect(() => methodOf(parseAnalysisOptions({ boaOffset: -1000 }), getSensor('landsat-8'))).toThrow(/boaOffset is Sentinel-2/);
    // Whole 900 m² pixels overstate partial canopy: Landsat leads with canopy cover.
    expect(areaModeOf(parseAnalysisOptions({}), getSensor('sentinel-2'))).toBe('binary');
    expect(areaModeOf(parseAnalysisOptions({}), getSensor('landsat-9'))).toBe('fractional');
    expect(areaModeOf(parseAnalysisOptions({ areaMode: 'binary' }), getSensor('landsat-9'))).toBe('binary');
  });

  it('takes the sensor from the options, else the input, and refuses the two disagreeing', () => {
    expect(sensorOf(parseAnalysisOptions({})).id).toBe('sentinel-2');
    expect(sensorOf(parseAnalysisOptions({}), 'landsat-9').id).toBe('landsat-9');
    expect(sensorOf(parseAnalysisOptions({ sensor: 'landsat-8' })).id).toBe('landsat-8');
    expect(() => sensorOf(parseAnalysisOptions({ sensor: 'sentinel-2' }), 'landsat-8')).toThrow(/sensor "sentinel-2" but the input is Landsat 8/);
    expect(() => parseAnalysisOptions({ sensor: 'landsat-7' })).toThrow(/sensor/);
  });
});
