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
   * The shore zone, m from land (by the 20 m SWIR test). B05, B06 and B11 are 20 m bands, so a
   * pixel beside the shore shares its red edge and SWIR with land: there the method's answer is
   * not trusted and the 10 m shore test decides instead (below). Without B03 (no shore test)
   * water in the zone is not analysed (counted as `coast`). One 20 m pixel. Ours; 0 turns it off.
   */
  coastBufferM: 20,
  /**
   * Shore test, soil and sand: a 10 m pixel whose red (B04) exceeds its blue (B02) by at least
   * this is land. Soils, sands and wet sand are red-brown (iron oxides: B04 − B02 ≈ 0.04–0.1 in
   * the USGS Spectral Library v7, Kokaly et al. 2017); water is blue (B04 − B02 < 0) and brown
   * kelp canopy is flat across the visible (B04 ≈ B02; Mora-Soto et al. 2020, Timmer et al.
   * 2024). A band difference, so a flat glint term cancels. Ours.
   */
  shoreRedBlueMin: 0.02,
  /**
   * Shore test, green plants: a 10 m pixel whose green peak `B03 − (B02 + B04) / 2` is at least
   * this is land vegetation (or intertidal green algae): chlorophyll-b plants reflect 0.03–0.05
   * more at 560 nm than at 490 and 665 nm, while brown kelp's fucoxanthin flattens the peak to
   * about 0.01–0.02 (Mora-Soto et al. 2020 separate giant kelp from Ulvophyceae this way). Ours.
   */
  shoreGreenPeakMin: 0.025,
  /**
   * Shore test without B02: a pixel is land when its B03 is this much above the local open
   * water's B03 (kelp canopy at 560 nm is within about 0.01 of the water around it; sand, soil
   * and vegetation are 0.04–0.2 brighter). Weaker than the colour tests above: glint on the
   * water raises the reference but not the land. Ours.
   */
  shoreGreenExcessMax: 0.02,
  /**
   * Shore test, canopy: in the shore zone a sea pixel is canopy when its NIR − red (B08 − B04,
   * both 10 m) is at least this above the local open water's and its shore FAI (FAI with B11 capped at
   * `swirLandMax`, so land mixed into the 20 m SWIR cannot push it down) passes the FAI
   * threshold. Differences, so glint cancels (NDVI would not); relative to the local water, so
   * a turbid plume (whose red rises) does not hide canopy. Land mixed into a sea pixel adds
   * little (wet sand has B08 − B04 ≈ 0.03 above water's −0.01, and only up to about two thirds
   * of a pixel of it passes the colour tests), while floating canopy is 0.1–0.3 above water at
   * full cover: canopy thinner than about 15–25 % at the shore is missed. Ours.
   */
  shoreNirRedMin: 0.03,
} as const;

/** Threshold values by name. */
export type Thresholds = { -readonly [K in keyof typeof DEFAULT_THRESHOLDS]: number };

/** SCL classes masked as cloud (8, 9, 10), shadow (3), saturated (1) and snow (11). ESA L2A PSD. */
export const SCL_CLOUD_CLASSES = [8, 9, 10] as const;
export const SCL_SHADOW_CLASSES = [3] as const;
export const SCL_OTHER_MASKED_CLASSES = [1, 11] as const;
