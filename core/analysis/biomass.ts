import { CO2_PER_C, type Factor, type Range, type SpeciesFactors } from './factors.js';

/** Standing stock of the surface canopy, each figure as a range. */
export interface Stock {
  wetKg: Range;
  dryKg: Range;
  kgC: Range;
  kgCO2e: Range;
}

/** What each range of a result includes, and how the parts are combined (`result.method.uncertainty`). */
export interface UncertaintyNote {
  combination: string;
  /** Each range: the result field, a name for people, and the parts it includes. */
  ranges: Array<{ field: string; label: string; includes: string[] }>;
  /** What no range includes. */
  notIncluded: string[];
}

/**
 * How the ranges are built. Each part is read as a ±2σ interval. The area's parts (threshold,
 * canopy and water end-members; area-ranges.ts) add in quadrature; the area range and the
 * factor ranges are then combined in quadrature on a log scale, because the figures are
 * products. Multiplying all the lows together (or all the highs) would claim every factor is at
 * its extreme at once, which overstates the range.
 */
const THRESHOLD = 'the classification threshold moved by ± 2σ of the index’s pixel noise over open water';
const CANOPY = 'the full-canopy end-member of each bed (the spread of its densest canopy; beds too small or too sparse to have their own take the spread of the scene’s beds)';
const WATER = 'the local open-water end-member (its variation between neighbouring 320 m cells)';

export const UNCERTAINTY: UncertaintyNote = {
  combination:
    'each part read as ±2σ; the parts of the area add in quadrature; the area range and the factor ranges combine in quadrature on a log scale',
  ranges: [
    { field: 'kelp.binaryAreaRangeM2', label: 'Binary area', includes: [THRESHOLD] },
    { field: 'kelp.fractionalAreaRangeM2', label: 'Fractional area', includes: [THRESHOLD, CANOPY, WATER] },
    { field: 'biomass.wetKg', label: 'Wet biomass', includes: ['the area range (of the area used)', 'wet biomass per m² of canopy'] },
    { field: 'biomass.dryKg', label: 'Dry biomass', includes: ['the area range', 'wet biomass per m²', 'dry ÷ wet mass'] },
    { field: 'carbon.kgC', label: 'Carbon', includes: ['the area range', 'wet biomass per m²', 'dry ÷ wet mass', 'carbon ÷ dry mass'] },
    { field: 'carbon.kgCO2e', label: 'CO₂ equivalent', includes: ['the area range', 'wet biomass per m²', 'dry ÷ wet mass', 'carbon ÷ dry mass (CO₂ ÷ C is exact)'] },
  ],
  notIncluded: [
    'canopy submerged by tide or current at acquisition time (not visible at the surface)',
    'errors of the input reflectance (atmospheric correction, adjacency effects)',
    'species misidentified (the factors are those of the species asked for)',
  ],
};

/** Combines a chain of ranges multiplied together, each read as ±2σ on a log scale. */
export function propagate(factors: readonly Range[]): Range {
  let central = 1;
  let lowVar = 0;
  let highVar = 0;
  for (const factor of factors) {
    if (factor.central === 0) return { low: 0, central: 0, high: 0 };
    central *= factor.central;
    // A range reaching 0 (an area whose low end is nothing) keeps a finite log width.
    const low = Math.max(factor.low, factor.central * 1e-3);
    lowVar += Math.log(factor.central / low) ** 2;
    highVar += Math.log(factor.high / factor.central) ** 2;
  }
  return { low: central * Math.exp(-Math.sqrt(lowVar)), central, high: central * Math.exp(Math.sqrt(highVar)) };
}

/**
 * Wet and dry biomass, carbon and CO₂e of a canopy area (a range, m²).
 *
 * @example
 * ```ts
 * estimateStock({ low: 9_000, central: 10_000, high: 11_000 }, SPECIES_FACTORS.macrocystis).kgC.central; // 10000 × 7.55 × 0.103 × 0.255
 * ```
 */
export function estimateStock(areaM2: Range, factors: SpeciesFactors): Stock {
  const exact: Factor = { low: CO2_PER_C, central: CO2_PER_C, high: CO2_PER_C, unit: 'ratio', source: '44/12' };
  const chain = [areaM2, factors.wetBiomassKgPerM2, factors.dryPerWet, factors.carbonPerDry];
  return {
    wetKg: propagate(chain.slice(0, 2)),
    dryKg: propagate(chain.slice(0, 3)),
    kgC: propagate(chain),
    kgCO2e: propagate([...chain, exact]),
  };
}
