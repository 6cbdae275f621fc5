import { describe, expect, it } from 'vitest';
import { CellHistograms, MIN_CELL_WATER_PX, WATER_CELL_PX, WaterField } from '../../../core/analysis/water-field.js';

describe('CellHistograms', () => {
  it('gives each cell’s median to within its bin', () => {
    const h = new CellHistograms(2, -0.1, 0.1, 160);
    for (let i = 0; i < 101; i++) {
      h.add(0, -0.02 + i * 0.0002); // -0.02 … 0.0, median -0.01
      h.add(1, 0.05);
    }
    expect(h.quantile(0, 0.5)).toBeCloseTo(-0.01, 3);
    expect(h.quantile(1, 0.5)).toBeCloseTo(0.05, 2);
    expect(h.totals[0]).toBe(101);
  });

  it('is empty (NaN) for a cell with no values, and clamps values outside its range', () => {
    const h = new CellHistograms(2, -0.1, 0.1, 160);
    h.add(1, 5);
    expect(h.quantile(0, 0.5)).toBeNaN();
    expect(h.quantile(1, 0.5)).toBeLessThanOrEqual(0.1);
  });
});

describe('WaterField', () => {
  /** A field of `cellsAcross` × 1 cells whose water FAI rises west to east (a glint or plume gradient). */
  function gradientField(values: number[]): WaterField {
    const field = new WaterField(values.length * WATER_CELL_PX, WATER_CELL_PX);
    const h = new CellHistograms(values.length, -0.1, 0.1, 1600);
    values.forEach((v, cell) => {
      if (Number.isNaN(v)) return;
      for (let i = 0; i < MIN_CELL_WATER_PX; i++) h.add(cell, v);
    });
    field.takeRow(0, h, 0);
    field.fill();
    return field;
  }

  it('interpolates between cell centres, so a gradient under a bed is followed', () => {
    const field = gradientField([-0.02, -0.01, 0]);
    expect(field.at(WATER_CELL_PX / 2 - 0.5, 5)).toBeCloseTo(-0.02, 3);
    expect(field.at(WATER_CELL_PX - 0.5, 5)).toBeCloseTo(-0.015, 3);
    expect(field.at(2.5 * WATER_CELL_PX - 0.5, 5)).toBeCloseTo(0, 3);
  });

  it('fills cells without enough water from their measured neighbours and says how many were measured', () => {
    const field = gradientField([-0.02, NaN, NaN, 0]);
    expect(field.measured).toBe(2);
    expect(field.median[1]).toBeCloseTo(-0.02, 3);
    expect(field.median[2]).toBeCloseTo(0, 3);
  });

  it('puts the uncertainty where the water changes', () => {
    const flat = gradientField([-0.01, -0.01, -0.01]);
    const steep = gradientField([-0.03, -0.01, 0.01]);
    expect(steep.uncertaintyAt(40, 5)).toBeGreaterThan(flat.uncertaintyAt(40, 5));
  });

  it('has nothing to fill from when no cell had water', () => {
    const field = new WaterField(64, 64);
    expect(field.fill()).toBe(false);
  });
});
