/** A figure with its plausible range. */
export interface Range {
  low: number;
  central: number;
  high: number;
}

/** One conversion factor, with where it comes from. */
export interface Factor extends Range {
  unit: string;
  source: string;
}

export const SPECIES = ['macrocystis', 'nereocystis', 'mixed'] as const;
export type Species = (typeof SPECIES)[number];

/** Standing-stock conversion factors for one species (canopy wet biomass → CO₂e). */
export interface SpeciesFactors {
  wetBiomassKgPerM2: Factor;
  dryPerWet: Factor;
  carbonPerDry: Factor;
  /** Said in the result when the factors are weaker than the Macrocystis ones. */
  caveat?: string;
}

const SBC_LTER = 'SBC LTER / Kelpwatch canopy biomass ÷ canopy area, 9,191 bed-quarters';
const CARBON_SOURCE = 'Macrocystis blades 31.4 % C, stipes ≈ 19.4 %, frond-weighted ≈ 25.5 %';

/** Macrocystis pyrifera (giant kelp): the best-supported figures (docs/science.md, "Biomass and carbon"). */
const MACROCYSTIS: SpeciesFactors = {
  wetBiomassKgPerM2: { low: 7.21, central: 7.55, high: 8.38, unit: 'kg m-2', source: SBC_LTER },
  dryPerWet: { low: 0.088, central: 0.103, high: 0.129, unit: 'ratio', source: 'Bell & Kroeker (BCO-DMO 882019); Hakai wet/dry data' },
  carbonPerDry: { low: 0.194, central: 0.255, high: 0.314, unit: 'ratio', source: CARBON_SOURCE },
};

/**
 * Nereocystis luetkeana (bull kelp). Canopy biomass per m² is not well established: the
 * Macrocystis figure is used with its range widened to ±50 %.
 */
const NEREOCYSTIS: SpeciesFactors = {
  wetBiomassKgPerM2: {
    low: 3.78,
    central: 7.55,
    high: 11.33,
    unit: 'kg m-2',
    source: `${SBC_LTER} (Macrocystis figure, range widened to ±50 % for Nereocystis)`,
  },
  dryPerWet: { low: 0.08, central: 0.083, high: 0.09, unit: 'ratio', source: 'Hakai wet/dry data (blades 0.083, stipes 0.084)' },
  carbonPerDry: { low: 0.194, central: 0.255, high: 0.314, unit: 'ratio', source: `${CARBON_SOURCE} (Macrocystis figure)` },
  caveat:
    'Nereocystis canopy biomass per m² is not well established: the Macrocystis figure is used with a ±50 % range, and the Macrocystis carbon fraction',
};

/** Envelope of both species: each range spans both, centrals averaged. */
function envelope(a: Factor, b: Factor, source: string): Factor {
  return {
    low: Math.min(a.low, b.low),
    central: (a.central + b.central) / 2,
    high: Math.max(a.high, b.high),
    unit: a.unit,
    source,
  };
}

/** Every species' factors, in one table. */
export const SPECIES_FACTORS: Record<Species, SpeciesFactors> = {
  macrocystis: MACROCYSTIS,
  nereocystis: NEREOCYSTIS,
  mixed: {
    wetBiomassKgPerM2: envelope(MACROCYSTIS.wetBiomassKgPerM2, NEREOCYSTIS.wetBiomassKgPerM2, 'envelope of Macrocystis and Nereocystis'),
    dryPerWet: envelope(MACROCYSTIS.dryPerWet, NEREOCYSTIS.dryPerWet, 'envelope of Macrocystis and Nereocystis'),
    carbonPerDry: MACROCYSTIS.carbonPerDry,
    caveat: 'mixed canopy: ranges span both species, centrals are their mean',
  },
};

/** CO₂ per carbon by mass, 44/12 (stoichiometry, exact). */
export const CO2_PER_C = 44 / 12;
