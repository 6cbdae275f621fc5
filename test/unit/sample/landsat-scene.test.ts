/**
 * The Landsat 8/9 rendering of the sample scene: the same truth field at 30 m, the Collection 2
 * DN rule, QA_PIXEL against the truth, OLI spectra read off the MSI tables, and Sentinel-2
 * output unchanged by the sensor option.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BAND_TABLE } from '../../../core/analysis/bands.js';
import { PIXEL } from '../../../core/analysis/masks.js';
import { InvalidRequestError } from '../../../core/errors.js';
import { encodeLandsatDn, LANDSAT_SR, QA_FILL, QA_WATER_MAX_CANOPY } from '../../../core/sample/landsat.js';
import { landsatMetadata, landsatMtlText } from '../../../core/sample/landsat-metadata.js';
import { ALL_FEATURES, createLayout } from '../../../core/sample/layout.js';
import { TRUTH, createSampleScene } from '../../../core/sample/scene.js';
import { MSI_SET, OLI_SAMPLE_BANDS, OLI_SET, SAMPLE_BANDS, SPECTRA, atWavelength } from '../../../core/sample/spectra.js';
import { computeSurfaceState } from '../../../core/sample/surface-state.js';
import { LANDSAT_8, QA_PIXEL_BITS } from '../../../core/sensors/landsat.js';
import { cutWindow, firstDifference } from './scene-helpers.js';

/** 10 m side of the test scenes: 100 × 100 pixels at 30 m, with cloud, shadow, glint, land and the nodata wedge. */
const SIZE = 300;
const has = (value: number, bit: number) => ((value >> bit) & 1) === 1;

function landsatScene(seed: number, variation: 'uniform' | 'natural' = 'uniform', extra: { noise?: boolean } = {}) {
  return createSampleScene({ width: SIZE, height: SIZE, seed, variation, sensor: 'landsat-8', features: extra.noise === false ? { noise: false } : {} });
}

function whole(scene: { grid: { width: number; height: number } }) {
  return { x0: 0, y0: 0, width: scene.grid.width, height: scene.grid.height };
}

describe('Landsat sample scenes: the same truth field at 30 m', () => {
  it('lies on a 30 m grid with the 10 m grid\'s origin, covering the field with whole pixels', () => {
    const s2 = createSampleScene({ width: SIZE, height: SIZE, seed: 4 });
    const landsat = landsatScene(4);
    expect(landsat.grid.transform).toEqual({ ...s2.grid.transform, pixelWidth: 30, pixelHeight: -30 });
    expect(landsat.grid.crs).toEqual(s2.grid.crs);
    expect([landsat.grid.width, landsat.grid.height]).toEqual([100, 100]);
    const odd = createSampleScene({ width: 301, height: 64, seed: 4, sensor: 'landsat-9' });
    expect([odd.grid.width, odd.grid.height]).toEqual([101, 22]);
    expect(odd.readBands(['SR_B4', 'QA_PIXEL'], whole(odd)).SR_B4).toHaveLength(101 * 22);
  });

  for (const variation of ['uniform', 'natural'] as const) {
    it(`${variation}: truth fraction is the mean of the nine 10 m fractions, flags their OR`, () => {
      const seed = variation === 'uniform' ? 4 : 17;
      const s2 = createSampleScene({ width: SIZE, height: SIZE, seed, variation });
      const landsat = landsatScene(seed, variation);
      const fine = s2.readTruth({ x0: 0, y0: 0, width: SIZE, height: SIZE });
      const coarse = landsat.readTruth(whole(landsat));
      let canopy = 0;
      for (let r = 0; r < 100; r++) {
        for (let c = 0; c < 100; c++) {
          let sum = 0;
          let flags = 0;
          for (let dy = 0; dy < 3; dy++) {
            for (let dx = 0; dx < 3; dx++) {
              const p = (3 * r + dy) * SIZE + 3 * c + dx;
              sum += fine.canopyFraction[p];
              flags |= fine.flags[p];
            }
          }
          const q = r * 100 + c;
          expect(coarse.canopyFraction[q]).toBe(Math.fround(sum / 9));
          expect(coarse.flags[q]).toBe(flags);
          if (sum > 0) canopy++;
        }
      }
      expect(canopy).toBeGreaterThan(100);
    });
  }

  it('reflectance is the nine-pixel mean of the 10 m field mixed at OLI bands, coded DN = round((ρ + 0.2) / 0.0000275)', () => {
    const seed = 5;
    const landsat = landsatScene(seed, 'natural', { noise: false });
    const values = landsat.readBands(OLI_SAMPLE_BANDS, whole(landsat));
    const layout = createLayout(seed, SIZE, SIZE, { ...ALL_FEATURES, noise: false }, 'natural');
    const state = computeSurfaceState(layout, { x0: 0, y0: 0, width: SIZE, height: SIZE }, OLI_SET);
    let checked = 0;
    for (let q = 0; q < 100 * 100; q += 7) {
      const r = Math.floor(q / 100);
      const c = q % 100;
      let nodata = false;
      for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) if (state.flags[(3 * r + dy) * SIZE + 3 * c + dx] & TRUTH.nodata) nodata = true;
      OLI_SAMPLE_BANDS.forEach((band, b) => {
        if (nodata) {
          expect(values[band][q]).toBe(LANDSAT_SR.fill);
          return;
        }
        let sum = 0;
        for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) sum += state.bands[b][(3 * r + dy) * SIZE + 3 * c + dx];
        const mean = sum / 9;
        expect(values[band][q]).toBe(Math.round((mean + 0.2) / 0.0000275));
        // Decoded by the sensor's own rule, within half a DN step.
        expect(Math.abs(values[band][q] * LANDSAT_SR.scale + LANDSAT_SR.offset - mean)).toBeLessThanOrEqual(LANDSAT_SR.scale / 2 + 1e-9);
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(5000);
    expect(LANDSAT_SR).toMatchObject({ scale: 0.0000275, offset: -0.2 });
    expect(LANDSAT_8.reflectance).toMatchObject({ kind: 'linear', scale: LANDSAT_SR.scale, offset: LANDSAT_SR.offset, fill: LANDSAT_SR.fill });
  });

  it('clamps DN to 1…65535 (0 is fill)', () => {
    expect(encodeLandsatDn(0.05)).toBe(9091);
    expect(encodeLandsatDn(0)).toBe(7273);
    expect(encodeLandsatDn(-0.2)).toBe(1);
    expect(encodeLandsatDn(-0.5)).toBe(1);
    expect(encodeLandsatDn(1.6022)).toBe(65535);
    expect(encodeLandsatDn(3)).toBe(65535);
  });

  it('adds sensor noise of the stated size per 30 m pixel, not repeated from the 10 m bands', () => {
    const noisy = landsatScene(6);
    const clean = landsatScene(6, 'uniform', { noise: false });
    const a = noisy.readBands(['SR_B5'], whole(noisy)).SR_B5;
    const b = clean.readBands(['SR_B5'], whole(clean)).SR_B5;
    let sum = 0;
    let sum2 = 0;
    let n = 0;
    for (let i = 0; i < a.length; i++) {
      if (!b[i]) continue;
      const d = (a[i] - b[i]) * LANDSAT_SR.scale;
      sum += d;
      sum2 += d * d;
      n++;
    }
    const sd = Math.sqrt(sum2 / n - (sum / n) ** 2);
    expect(sd).toBeGreaterThan(0.0012);
    expect(sd).toBeLessThan(0.0018);
  });

  for (const variation of ['uniform', 'natural'] as const) {
    it(`${variation}: QA_PIXEL bits follow the truth`, () => {
      const landsat = landsatScene(variation === 'uniform' ? 2 : 23, variation);
      const { QA_PIXEL: qa } = landsat.readBands(['QA_PIXEL'], whole(landsat));
      const truth = landsat.readTruth(whole(landsat));
      const w = landsat.grid.width;
      const h = landsat.grid.height;
      const counts = { fill: 0, cloud: 0, dilated: 0, shadow: 0, water: 0, clear: 0 };
      for (let r = 0; r < h; r++) {
        for (let c = 0; c < w; c++) {
          const q = r * w + c;
          const flags = truth.flags[q];
          const value = qa[q];
          if (flags & TRUTH.nodata) {
            expect(value).toBe(QA_FILL);
            expect(LANDSAT_8.quality.toPixel[value & 0xff]).toBe(PIXEL.nodata);
            counts.fill++;
            continue;
          }
          expect(has(value, QA_PIXEL_BITS.fill)).toBe(false);
          const cloud = (flags & TRUTH.cloud) !== 0;
          expect(has(value, QA_PIXEL_BITS.cloud)).toBe(cloud);
          let nearCloud = false;
          for (let dy = -1; dy <= 1; dy++) {
            for (let dx = -1; dx <= 1; dx++) {
              const y = r + dy;
              const x = c + dx;
              if (y >= 0 && x >= 0 && y < h && x < w && truth.flags[y * w + x] & TRUTH.cloud) nearCloud = true;
            }
          }
          const dilated = has(value, QA_PIXEL_BITS.dilatedCloud);
          // Inside the scene a neighbour cloud always dilates; on the edge a cloud just outside may too.
          if (!cloud && nearCloud) expect(dilated).toBe(true);
          if (cloud || (!nearCloud && r > 0 && c > 0 && r < h - 1 && c < w - 1)) expect(dilated).toBe(false);
          expect(has(value, QA_PIXEL_BITS.cloudShadow)).toBe(!cloud && (flags & TRUTH.shadow) !== 0);
          expect(has(value, QA_PIXEL_BITS.clear)).toBe(!cloud && !dilated);
          expect(has(value, QA_PIXEL_BITS.cirrus) || has(value, QA_PIXEL_BITS.snow)).toBe(false);
          if (has(value, QA_PIXEL_BITS.water)) {
            expect(truth.canopyFraction[q]).toBeLessThan(QA_WATER_MAX_CANOPY);
            expect(cloud || dilated).toBe(false);
            counts.water++;
          }
          // What the analysis will make of it, through the sensor's table.
          const pixel = LANDSAT_8.quality.toPixel[value & 0xff];
          if (cloud || dilated) expect(pixel).toBe(PIXEL.cloud);
          else if (flags & TRUTH.shadow) expect(pixel).toBe(PIXEL.shadow);
          else expect(pixel).toBe(255);
          if (cloud) counts.cloud++;
          if (dilated) counts.dilated++;
          if (!cloud && flags & TRUTH.shadow) counts.shadow++;
          if (!cloud && !dilated) counts.clear++;
        }
      }
      for (const [name, count] of Object.entries(counts)) expect(count, name).toBeGreaterThan(10);
      // Real USGS values: clear land 21824, clear water 21952, cloud 22280, shadow 23888, dilated 21762.
      const seen = new Set(qa);
      for (const value of [21824, 21952, 22280, 21762]) expect(seen.has(value), String(value)).toBe(true);
    });
  }

  it('any window reads the same values as the whole scene (strips and the dilation pad)', () => {
    const landsat = landsatScene(9, 'natural');
    const all = whole(landsat);
    const bands = ['SR_B2', 'SR_B5', 'SR_B6', 'QA_PIXEL'];
    const full = landsat.readBands(bands, all);
    const fullTruth = landsat.readTruth(all);
    for (const window of [
      { x0: 0, y0: 0, width: 1, height: 1 },
      { x0: 37, y0: 45, width: 30, height: 50 },
      { x0: 99, y0: 0, width: 1, height: 100 },
      { x0: 10, y0: 60, width: 90, height: 40 },
    ]) {
      const part = landsat.readBands(bands, window);
      for (const band of bands) expect(firstDifference(part[band], cutWindow(full[band], all, window)), `${band} ${JSON.stringify(window)}`).toBe(-1);
      const truth = landsat.readTruth(window);
      expect(firstDifference(truth.canopyFraction, cutWindow(fullTruth.canopyFraction, all, window))).toBe(-1);
      expect(firstDifference(truth.flags, cutWindow(fullTruth.flags, all, window))).toBe(-1);
    }
  });

  it('Landsat 8 and 9 scenes of one seed hold the same values; only the identity differs', () => {
    const eight = createSampleScene({ width: 150, height: 150, seed: 3, sensor: 'landsat-8' });
    const nine = createSampleScene({ width: 150, height: 150, seed: 3, sensor: 'landsat-9', date: '2023-08-15' });
    const window = whole(eight);
    expect(firstDifference(eight.readBands(['SR_B4', 'QA_PIXEL'], window).SR_B4, nine.readBands(['SR_B4'], window).SR_B4)).toBe(-1);
    expect(eight.acquisition.productId).toBe('LC08_L2SP_044034_20230815_20230823_02_T1');
    expect(nine.acquisition.productId).toBe('LC09_L2SP_044034_20230815_20230823_02_T1');
    expect(nine.acquisition.spacecraftId).toBe('LANDSAT_9');
  });

  it('refuses a bad or pre-launch date, a date on a Sentinel-2 sample, an unknown band and an outside window', () => {
    const make = (sensor: 'landsat-8' | 'landsat-9' | 'sentinel-2', date: string) => () => createSampleScene({ width: 64, height: 64, sensor, date } as never);
    expect(make('landsat-8', '2023-02-30')).toThrow(InvalidRequestError);
    expect(make('landsat-8', '15/08/2023')).toThrow(/YYYY-MM-DD/);
    expect(make('landsat-9', '2020-05-01')).toThrow(/launched on 2021-09-27/);
    expect(make('sentinel-2', '2023-08-15')).toThrow(/Landsat sample scenes only/);
    expect(() => createSampleScene({ width: 64, height: 64, sensor: 'landsat-7' as never })).toThrow(/sensor must be one of/);
    const landsat = createSampleScene({ width: 64, height: 64, sensor: 'landsat-8' });
    expect(() => landsat.readBands(['B04'], whole(landsat))).toThrow(/B04/);
    expect(() => landsat.readBands(['SR_B4'], { x0: 0, y0: 0, width: 23, height: 1 })).toThrow(/30 m grid/);
  });
});

describe('OLI spectra from the MSI tables', () => {
  it('reproduces the MSI tables at the MSI centres', () => {
    for (const values of Object.values(SPECTRA)) {
      SAMPLE_BANDS.forEach((band, i) => expect(atWavelength(values, BAND_TABLE[band].wavelengthNm)).toBe(values[i]));
    }
  });

  it('interpolates linearly between neighbours, takes B08 at 865 nm, B11 at 1608.5 nm and the end values outside', () => {
    const { canopy, water } = SPECTRA;
    const oli = OLI_SET.spectra;
    expect(oli.canopy[4]).toBe(canopy[5]); // SR_B5 ← B08
    expect(oli.canopy[5]).toBe(canopy[6]); // SR_B6 ← B11
    expect(oli.canopy[6]).toBe(canopy[7]); // SR_B7 ← B12
    expect(oli.water[0]).toBe(water[0]); // SR_B1 ← B02
    expect(oli.water[3]).toBeCloseTo(0.1 * water[1] + 0.9 * water[2], 12); // SR_B4, 654.5 nm
    expect(atWavelength([0, 0, 0, 0, 0, 1, 3, 0], 1200)).toBe(1); // nearer B08 across the gap
    expect(atWavelength([0, 0, 0, 0, 0, 1, 3, 0], 1300)).toBe(3);
  });

  it('keeps what the analysis relies on: canopy bright in NIR over red and water, land and cloud bright in SWIR 1, water dark', () => {
    const s = OLI_SET.spectra;
    const [red, nir, swir1] = [3, 4, 5];
    expect(s.canopy[nir] - s.canopy[red]).toBeGreaterThan(0.15);
    expect(s.water[nir]).toBeLessThan(0.01);
    expect(s.water[swir1]).toBeLessThan(0.03);
    expect(s.canopy[swir1]).toBeLessThan(0.03);
    for (const land of ['vegetation', 'soil', 'drySand', 'cloud'] as const) expect(s[land][swir1]).toBeGreaterThan(0.03);
    expect(OLI_SET.glintShape.every((g) => g > 0.7 && g <= 1)).toBe(true);
    expect(MSI_SET.spectra).toBe(SPECTRA);
  });
});

describe('the Landsat metadata file', () => {
  it('names the product, level, collection, spacecraft, date and the reflectance rule of every band', () => {
    const scene = createSampleScene({ width: 300, height: 240, sensor: 'landsat-9', date: '2024-01-31' });
    const mtl = landsatMetadata(scene);
    expect(mtl.PRODUCT_CONTENTS).toMatchObject({
      LANDSAT_PRODUCT_ID: 'LC09_L2SP_044034_20240131_20240208_02_T1',
      PROCESSING_LEVEL: 'L2SP',
      COLLECTION_NUMBER: '02',
      FILE_NAME_BAND_4: 'LC09_L2SP_044034_20240131_20240208_02_T1_SR_B4.TIF',
      FILE_NAME_QUALITY_L1_PIXEL: 'LC09_L2SP_044034_20240131_20240208_02_T1_QA_PIXEL.TIF',
    });
    expect(mtl.IMAGE_ATTRIBUTES).toMatchObject({ SPACECRAFT_ID: 'LANDSAT_9', SENSOR_ID: 'OLI_TIRS', DATE_ACQUIRED: '2024-01-31' });
    expect(mtl.IMAGE_ATTRIBUTES.SCENE_CENTER_TIME).toMatch(/^\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
    expect(mtl.PROJECTION_ATTRIBUTES).toMatchObject({ UTM_ZONE: '10', REFLECTIVE_SAMPLES: '100', REFLECTIVE_LINES: '80', GRID_CELL_SIZE_REFLECTIVE: '30.00' });
    for (let n = 1; n <= 7; n++) {
      expect(mtl.LEVEL2_SURFACE_REFLECTANCE_PARAMETERS[`REFLECTANCE_MULT_BAND_${n}`]).toBe('2.75E-05');
      expect(mtl.LEVEL2_SURFACE_REFLECTANCE_PARAMETERS[`REFLECTANCE_ADD_BAND_${n}`]).toBe('-0.2');
    }
    expect(mtl.LEVEL2_SURFACE_REFLECTANCE_PARAMETERS.REFLECTANCE_MAXIMUM_BAND_1).toBe('1.602213');
    expect(mtl.LEVEL2_SURFACE_REFLECTANCE_PARAMETERS.REFLECTANCE_MINIMUM_BAND_1).toBe('-0.199972');
    const text = landsatMtlText(mtl);
    expect(text).toMatch(/^GROUP = LANDSAT_METADATA_FILE\n {2}GROUP = PRODUCT_CONTENTS\n/);
    expect(text).toContain('    LANDSAT_PRODUCT_ID = "LC09_L2SP_044034_20240131_20240208_02_T1"\n');
    expect(text).toContain('    COLLECTION_NUMBER = 02\n');
    expect(text).toContain('    DATE_ACQUIRED = 2024-01-31\n');
    expect(text).toContain('    SCENE_CENTER_TIME = "');
    expect(text).toContain('    REFLECTANCE_MULT_BAND_5 = 2.75E-05\n');
    expect(text.endsWith('END_GROUP = LANDSAT_METADATA_FILE\nEND\n')).toBe(true);
  });
});

describe('Sentinel-2 sample scenes are unchanged by the sensor option', () => {
  /**
   * SHA-256 of every band at 10 m and 20 m and the truth of two scenes, computed with the code of
   * commit 80a396b (before the sensor option) by the same procedure.
   */
  const BEFORE = {
    'uniform-1': '6f22b80f6202971c8f3c7bdc222d4a7645e3a0ce89c41beb8858f7a4bf85e15f',
    'natural-7': 'f7e415a0564f5b41b6e28c18404ad5a3ab323ee5bf10203e8f802520143e6daa',
  };

  it.each(Object.entries(BEFORE))('%s: the same bytes as before', (key, expected) => {
    const [variation, seed] = key.split('-') as ['uniform' | 'natural', string];
    const scene = createSampleScene({ width: 200, height: 200, seed: Number(seed), variation });
    expect(scene.sensor).toBe('sentinel-2');
    const hash = createHash('sha256');
    const w10 = { x0: 0, y0: 0, width: 200, height: 200 };
    const v10 = scene.readBands(['B02', 'B03', 'B04', 'B08', 'B05', 'B06', 'B11', 'B12', 'SCL'], w10, 10);
    for (const k of Object.keys(v10).sort()) hash.update(new Uint8Array(v10[k].buffer));
    const v20 = scene.readBands(['B02', 'B05', 'B06', 'B11', 'B12', 'SCL'], { x0: 0, y0: 0, width: 100, height: 100 }, 20);
    for (const k of Object.keys(v20).sort()) hash.update(new Uint8Array(v20[k].buffer));
    const truth = scene.readTruth(w10);
    hash.update(new Uint8Array(truth.canopyFraction.buffer));
    hash.update(truth.flags);
    expect(hash.digest('hex')).toBe(expected);
  });
});
