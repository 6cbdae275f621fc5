import { CO2_PER_C, type Factor, type Range, type SpeciesFactors } from './factors.js';

/** Standing stock of the surface canopy, each figure as a range. */
export interface Stock {
  wetKg: Range;
  dryKg: Range;
  kgC: Range;
  kgCO2e: Range;
}

/**
 * How the ranges are combined: factors are independent, each range is read as a ±2σ interval
 * on a log scale, and the half-widths below and above the central value add in quadrature.
 * Multiplying all the lows together (or all the highs) would claim every factor is at its
 * extreme at once, which overstates the range.
 */
export const UNCERTAINTY_METHOD =
  'independent factor ranges combined in quadrature on a log scale (each range read as ±2σ); area from the classification is taken as exact';

/** Combines a chain of factor ranges multiplied onto `base` (itself exact). */
export function propagate(base: number, factors: readonly Factor[]): Range {
  let central = base;
  let lowVar = 0;
  let highVar = 0;
  for (const factor of factors) {
    central *= factor.central;
    lowVar += Math.log(factor.central / factor.low) ** 2;
    highVar += Math.log(factor.high / factor.central) ** 2;
  }
  return { low: central * Math.exp(-Math.sqrt(lowVar)), central, high: central * Math.exp(Math.sqrt(highVar)) };
}

/**
 * Wet and dry biomass, carbon and CO₂e of `areaM2` of canopy.
 *
 * @example
 * ```ts
 * estimateStock(10_000, SPECIES_FACTORS.macrocystis).kgC.central; // 10000 × 7.55 × 0.103 × 0.255
 * ```
 */
export function estimateStock(areaM2: number, factors: SpeciesFactors): Stock {
  const exact: Factor = { low: CO2_PER_C, central: CO2_PER_C, high: CO2_PER_C, unit: 'ratio', source: '44/12' };
  const chain = [factors.wetBiomassKgPerM2, factors.dryPerWet, factors.carbonPerDry];
  return {
    wetKg: propagate(areaM2, chain.slice(0, 1)),
    dryKg: propagate(areaM2, chain.slice(0, 2)),
    kgC: propagate(areaM2, chain),
    kgCO2e: propagate(areaM2, [...chain, exact]),
  };
}
