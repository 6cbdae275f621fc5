/**
 * Values of the analysis mask. `kelp-mask.tif` holds 1 kelp, 0 water without kelp and 255 for
 * everything not analysed (DESIGN: nodata, cloud, shadow, land); in memory land keeps its own
 * value (`land`) so that scoring against labels can tell "called land" from "not seen".
 * `coast` and the `shore*` values are working values of the scan that the shore step resolves.
 */
export const MASK = {
  water: 0,
  kelp: 1,
  /** Water by SWIR, but land by its 10 m colour (a sliver of sand or rock): water, and the shore zone starts here. */
  colourLand: 245,
  /** Kelp by the method, not by the 10 m shore test: kelp unless within the shore zone. */
  shoreMethodOnly: 249,
  /** Water by the method, kelp by the 10 m shore test. */
  shoreTestOnly: 250,
  /** Land by SWIR (20 m) but sea by the 10 m green test, and kelp by the 10 m shore test. */
  shoreSeaKelp: 251,
  /** Land by SWIR (20 m) but sea by the 10 m green test, not kelp. */
  shoreSeaWater: 252,
  /** Water within the coastal buffer (only when the 10 m shore test cannot run: no B03). */
  coast: 253,
  land: 254,
  /** Nodata, cloud, shadow. */
  masked: 255,
} as const;
