/**
 * FAI of a full-cover floating canopy, the upper end-member of fractional cover: the FAI of a
 * representative dense Macrocystis canopy spectrum (red 0.025, NIR 0.20, SWIR 0.015; the canopy
 * spectrum in core/sample/spectra.ts). Override with `canopyFai` where a local end-member is
 * known (e.g. from a field-verified dense bed in the same scene).
 */
export const DEFAULT_CANOPY_FAI = 0.177;

/**
 * FAI of open water when a scene has too little water to measure it (clear coastal water:
 * red 0.015, NIR 0.004, SWIR 0.002).
 */
export const DEFAULT_WATER_FAI = -0.0087;

/** Open-water pixels needed before the scene's own median FAI is trusted as the water end-member. */
export const MIN_WATER_PIXELS = 1000;
