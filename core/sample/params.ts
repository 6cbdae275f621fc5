/**
 * Tunable constants of the synthetic sample scene, in one table. Distances are in 10 m pixels
 * and do not scale with the scene: a bed is tens to a few hundred pixels across at any scene
 * size, and a bigger scene simply holds more of everything.
 */
export const SCENE_PARAMS = {
  /** Sensor noise, standard deviation in reflectance per band and pixel (S2 MSI is of this order over dark water). */
  noiseSigma: 0.0015,
  /** Reflectance multiplier in full cloud shadow (diffuse skylight only). */
  shadowFactor: 0.35,
  /** Share of the scene width that is land, on the east side. */
  landShare: 0.3,
  /** Longest coastline wiggle, as a share of the scene height, and its bounds in pixels. */
  coastWavelengthShare: 0.5,
  coastWavelengthMinPx: 128,
  coastWavelengthMaxPx: 3000,
  /** Amplitude of each coastline octave as a share of its wavelength. */
  coastAmplitudeShare: 0.07,
  /** Local shoreline roughness (headlands, coves), maximum in pixels either way. */
  shoreRoughnessPx: 11,
  /** Beach width range (dry plus wet sand), pixels; the wet part is the seaward 45 %. */
  beachMaxPx: 8,
  wetShare: 0.45,
  /** Kelp beds lie between these distances offshore (200 m … 1.5 km). */
  nearshoreMinPx: 20,
  nearshoreMaxPx: 150,
  /** One bed slot every this many rows along the shore; probabilities of a first and second bed. */
  bedSlotPx: 64,
  bedChance: [0.85, 0.45],
  /** Bed semi-axes: along-shore 12–90 px, cross-shore 6–34 px (beds 20 … 200 px, 0.2–2 km, long). */
  bedAlongPx: [12, 90],
  bedAcrossPx: [6, 34],
  /** Per-bed scaling of the canopy's red-edge/NIR contrast over red (±15 %). */
  bedContrast: [0.85, 1.15],
  /** Tiny beds (1–4 pixels, under 500 m²): one slot every this many rows, with this chance. */
  tinySlotPx: 37,
  tinyChance: 0.6,
  /** Whitecap streaks start this far offshore (well beyond the beds); surf foam within this of the shore. */
  foamStartPx: 200,
  surfWidthPx: 5,
  /** Wind direction of the foam streaks, radians from the x axis. */
  windAngle: 1.1,
  /** Primary cloud radius as a share of the smaller scene side, and bounds in pixels. */
  cloudRadiusShare: 0.09,
  cloudRadiusMinPx: 24,
  cloudRadiusMaxPx: 300,
  /** Shadow offset per unit cloud radius (sun in the south-east: shadows fall north-west). */
  shadowOffset: [-0.3, -1.9],
  /** Extra clouds: one per this many square pixels of scene. */
  cloudAreaPx: 2500 * 2500,
  /** Glint patch radius as a share of the smaller scene side, bounds, and peak glint range. */
  glintRadiusShare: 0.16,
  glintRadiusMinPx: 40,
  glintRadiusMaxPx: 600,
  glintPeak: [0.08, 0.1],
  /** Extra glint patches: one per this many square pixels of scene. */
  glintAreaPx: 4000 * 4000,
  /** Nodata wedge in the top-left corner: `x20 + 0.6 y20 < share × width20`. */
  nodataShare: 0.1,
  /** Values below these are set to exactly 0 (so "outside" is exactly untouched). */
  cloudMin: 0.02,
  shadowMin: 0.05,
  glintMin: 0.01,
  foamMin: 0.02,
  /** Truth foam flag above this foam fraction. */
  foamFlag: 0.05,
  /** SCL for cloud: density below `cloudThin` is thin cirrus (10), from `cloudHigh` high probability (9), else 8. */
  cloudThin: 0.25,
  cloudHigh: 0.6,
  /** SCL for canopy (mean fraction of the 20 m pixel): dense from `sclDense` (4 or 7), mid from `sclMid` (7 or 6). */
  sclDense: 0.6,
  sclMid: 0.3,
} as const;

/**
 * What the `natural` variation of the sample scene varies on top of the constants above, so
 * the analysis is tested against the spread real coasts show rather than one spectrum, one
 * water and one density. Ranges are drawn per scene or per bed from the seed.
 */
export const NATURAL_PARAMS = {
  /**
   * Scene-wide factor on the canopy's red-edge/NIR excess over red (season, tide, epiphytes:
   * the same canopy reads brighter or darker from one acquisition to the next).
   */
  sceneBrightness: [0.75, 1.3],
  /** Per-bed factor on the same excess (canopy condition differs between beds of one scene). */
  bedBrightness: [0.85, 1.15],
  /** Within a bed, ±10 % patches of brighter and darker canopy (fronds lying deeper or shallower, epiphytes), 100 m across. */
  withinBedBrightness: 0.1,
  withinBedScalePx: 10,
  /**
   * Per-bed canopy density 0–1: the share of the bed that is dense core and how patchy its
   * edges are. Dense cores still reach full cover (Macrocystis canopies form continuous
   * surface mats in their cores), sparse beds have small cores and ragged edges.
   */
  bedDensity: [0.3, 1],
  /** Share of bed slots whose bed is a fringing bed that touches the shore. */
  fringeChance: 0.35,
  /** Glint gradient across the scene (residual sun glint rising towards one side): peak range. */
  glintGradientPeak: [0.015, 0.05],
  /** Turbid river plume: peak sediment concentration (mixing weight of the turbid spectrum) and size. */
  plumePeak: [0.5, 0.95],
  /** Along-shore plume radius as a share of the scene height (cross-shore: 0.6 of it), and bounds in pixels. */
  plumeRadiusShare: 0.22,
  plumeRadiusMinPx: 60,
  plumeRadiusMaxPx: 1500,
} as const;

