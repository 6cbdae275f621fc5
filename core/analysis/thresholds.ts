/**
 * Every threshold the analysis uses, in one table with its source. All are parameters a request
 * may override; the values used are reported in `method.thresholds` of every result.
 */
export const DEFAULT_THRESHOLDS = {
  /** KD = B06 − B04 at or above this is canopy. Mora-Soto et al. 2020, Remote Sensing 12(4):694. */
  kd: 0.003216,
  /** FAI at or above this is canopy. Mora-Soto et al. 2020. */
  fai: 0.005352,
  /** NDVI at or above this is canopy. Mora-Soto et al. 2020. */
  ndvi: -0.0003411,
  /**
   * NDRE at or above this is canopy. Not from a published calibration: chosen by analogy with
   * the NDVI threshold (open water is strongly negative, canopy strongly positive).
   */
  ndre: 0,
  /** B11 (SWIR 1.6 µm) above this is land or bright cloud, not water. Mora-Soto et al. 2020. */
  swirLandMax: 0.028,
  /**
   * Glint guard. Glint adds about the same reflectance to every band, SWIR included, so a
   * glinted sea fails the SWIR test. A pixel whose B03 − B11 is at least this much is still
   * water: the difference cancels a flat glint term, water and canopy keep B03 above B11
   * (≈ 0.03), while soil, vegetation, sand and wet sand have B11 ≥ B03. Ours, from the
   * end-member spectra in core/sample/spectra.ts.
   */
  glintGreenSwirMin: 0.01,
  /**
   * Without SCL: B02 (or B03) and B11 both above this is bright cloud. Strong glint stays
   * below it in the SWIR. Ours.
   */
  cloudBrightMin: 0.2,
  /**
   * Water within this distance of land (m) is not analysed: B05, B06 and B11 are 20 m bands, so
   * a pixel beside the shore shares its red edge and SWIR with land, which reads as canopy (KD
   * and FAI) while passing the glint guard. One 20 m pixel. Ours; 0 turns it off.
   */
  coastBufferM: 20,
} as const;

/** Threshold values by name. */
export type Thresholds = { -readonly [K in keyof typeof DEFAULT_THRESHOLDS]: number };

/** SCL classes masked as cloud (8, 9, 10), shadow (3), saturated (1) and snow (11). ESA L2A PSD. */
export const SCL_CLOUD_CLASSES = [8, 9, 10] as const;
export const SCL_SHADOW_CLASSES = [3] as const;
export const SCL_OTHER_MASKED_CLASSES = [1, 11] as const;
