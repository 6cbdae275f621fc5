import { describe, expect, it } from 'vitest';
import { estimateStock, propagate } from '../../../core/analysis/biomass.js';
import { CO2_PER_C, SPECIES_FACTORS } from '../../../core/analysis/factors.js';

describe('estimateStock', () => {
  it('multiplies area by the central factors of Macrocystis', () => {
    const stock = estimateStock(10_000, SPECIES_FACTORS.macrocystis);
    expect(stock.wetKg.central).toBeCloseTo(75_500, 6);
    expect(stock.dryKg.central).toBeCloseTo(75_500 * 0.103, 6);
    expect(stock.kgC.central).toBeCloseTo(75_500 * 0.103 * 0.255, 6);
    expect(stock.kgCO2e.central).toBeCloseTo(75_500 * 0.103 * 0.255 * (44 / 12), 6);
  });

  it('uses about a quarter of dry mass as carbon, not the terrestrial 50 %', () => {
    const stock = estimateStock(1, SPECIES_FACTORS.macrocystis);
    expect(stock.kgC.central / stock.dryKg.central).toBeCloseTo(0.255, 6);
  });

  it('keeps a one-factor range equal to that factor’s range', () => {
    const stock = estimateStock(1, SPECIES_FACTORS.macrocystis);
    expect(stock.wetKg.low).toBeCloseTo(7.21, 6);
    expect(stock.wetKg.high).toBeCloseTo(8.38, 6);
  });

  it('gives a range narrower than the product of extremes and wider than any one factor', () => {
    const stock = estimateStock(1, SPECIES_FACTORS.macrocystis);
    const f = SPECIES_FACTORS.macrocystis;
    const extremeLow = f.wetBiomassKgPerM2.low * f.dryPerWet.low * f.carbonPerDry.low;
    expect(stock.kgC.low).toBeGreaterThan(extremeLow);
    expect(stock.kgC.low / stock.kgC.central).toBeLessThan(f.carbonPerDry.low / f.carbonPerDry.central);
  });

  it('gives zero of everything for zero area', () => {
    expect(estimateStock(0, SPECIES_FACTORS.nereocystis).kgCO2e).toEqual({ low: 0, central: 0, high: 0 });
  });

  it('widens the Nereocystis biomass range and says why', () => {
    const bull = SPECIES_FACTORS.nereocystis.wetBiomassKgPerM2;
    const giant = SPECIES_FACTORS.macrocystis.wetBiomassKgPerM2;
    expect(bull.high - bull.low).toBeGreaterThan(giant.high - giant.low);
    expect(SPECIES_FACTORS.nereocystis.caveat).toMatch(/not well established/);
  });

  it('treats the CO2 factor as exact', () => {
    const range = propagate(1, [{ low: CO2_PER_C, central: CO2_PER_C, high: CO2_PER_C, unit: '', source: '' }]);
    expect(range.low).toBe(range.high);
  });
});
