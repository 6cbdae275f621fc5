import { describe, expect, it } from 'vitest';
import { estimateStock, propagate } from '../../../core/analysis/biomass.js';
import { CO2_PER_C, SPECIES_FACTORS } from '../../../core/analysis/factors.js';

/** An area known exactly. */
const exact = (m2: number) => ({ low: m2, central: m2, high: m2 });

describe('estimateStock', () => {
  it('multiplies area by the central factors of Macrocystis', () => {
    const stock = estimateStock(exact(10_000), SPECIES_FACTORS.macrocystis);
    expect(stock.wetKg.central).toBeCloseTo(75_500, 6);
    expect(stock.dryKg.central).toBeCloseTo(75_500 * 0.103, 6);
    expect(stock.kgC.central).toBeCloseTo(75_500 * 0.103 * 0.255, 6);
    expect(stock.kgCO2e.central).toBeCloseTo(75_500 * 0.103 * 0.255 * (44 / 12), 6);
  });

  it('uses about a quarter of dry mass as carbon, not the terrestrial 50 %', () => {
    const stock = estimateStock(exact(1), SPECIES_FACTORS.macrocystis);
    expect(stock.kgC.central / stock.dryKg.central).toBeCloseTo(0.255, 6);
  });

  it('keeps a one-factor range equal to that factor’s range when the area is exact', () => {
    const stock = estimateStock(exact(1), SPECIES_FACTORS.macrocystis);
    expect(stock.wetKg.low).toBeCloseTo(7.21, 6);
    expect(stock.wetKg.high).toBeCloseTo(8.38, 6);
  });

  it('widens every range by the area range, in quadrature on a log scale', () => {
    const area = { low: 9_000, central: 10_000, high: 11_000 };
    const withArea = estimateStock(area, SPECIES_FACTORS.macrocystis);
    const without = estimateStock(exact(10_000), SPECIES_FACTORS.macrocystis);
    const f = SPECIES_FACTORS.macrocystis.wetBiomassKgPerM2;
    expect(withArea.wetKg.central).toBeCloseTo(without.wetKg.central, 6);
    expect(withArea.wetKg.high / withArea.wetKg.central).toBeCloseTo(Math.exp(Math.hypot(Math.log(1.1), Math.log(f.high / f.central))), 9);
    expect(withArea.wetKg.low / withArea.wetKg.central).toBeCloseTo(Math.exp(-Math.hypot(Math.log(10 / 9), Math.log(f.central / f.low))), 9);
  });

  it('keeps a finite range when the area range reaches zero', () => {
    const stock = estimateStock({ low: 0, central: 100, high: 200 }, SPECIES_FACTORS.macrocystis);
    expect(stock.kgC.low).toBeGreaterThan(0);
    expect(Number.isFinite(stock.kgC.high)).toBe(true);
  });

  it('gives a range narrower than the product of extremes and wider than any one factor', () => {
    const stock = estimateStock(exact(1), SPECIES_FACTORS.macrocystis);
    const f = SPECIES_FACTORS.macrocystis;
    const extremeLow = f.wetBiomassKgPerM2.low * f.dryPerWet.low * f.carbonPerDry.low;
    expect(stock.kgC.low).toBeGreaterThan(extremeLow);
    expect(stock.kgC.low / stock.kgC.central).toBeLessThan(f.carbonPerDry.low / f.carbonPerDry.central);
  });

  it('gives zero of everything for zero area', () => {
    expect(estimateStock(exact(0), SPECIES_FACTORS.nereocystis).kgCO2e).toEqual({ low: 0, central: 0, high: 0 });
  });

  it('widens the Nereocystis biomass range and says why', () => {
    const bull = SPECIES_FACTORS.nereocystis.wetBiomassKgPerM2;
    const giant = SPECIES_FACTORS.macrocystis.wetBiomassKgPerM2;
    expect(bull.high - bull.low).toBeGreaterThan(giant.high - giant.low);
    expect(SPECIES_FACTORS.nereocystis.caveat).toMatch(/not well established/);
  });

  it('treats the CO2 factor as exact', () => {
    const range = propagate([exact(1), { low: CO2_PER_C, central: CO2_PER_C, high: CO2_PER_C }]);
    expect(range.low).toBe(range.high);
  });
});
