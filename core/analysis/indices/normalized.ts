import { type IndexPlugin, band, normalizedDifference } from './index-plugin.js';

/** NDVI, `(B08 − B04) / (B08 + B04)`. Not glint-invariant: glint pulls it towards 0. */
export const ndvi: IndexPlugin = {
  name: 'ndvi',
  description: 'normalized difference vegetation index (B08 − B04) / (B08 + B04)',
  inputs: ['B04', 'B08'],
  range: [-1, 1],
  compute: (bands, out) => normalizedDifference(band(bands, 'B08'), band(bands, 'B04'), out),
};

/** NDRE, `(B05 − B04) / (B05 + B04)`: red edge penetrates water further than NIR (submerged canopy). */
export const ndre: IndexPlugin = {
  name: 'ndre',
  description: 'normalized difference red edge (B05 − B04) / (B05 + B04)',
  inputs: ['B04', 'B05'],
  range: [-1, 1],
  compute: (bands, out) => normalizedDifference(band(bands, 'B05'), band(bands, 'B04'), out),
};

/** NDWI (McFeeters 1996), `(B03 − B08) / (B03 + B08)`: positive over open water. */
export const ndwi: IndexPlugin = {
  name: 'ndwi',
  description: 'normalized difference water index (B03 − B08) / (B03 + B08)',
  inputs: ['B03', 'B08'],
  range: [-1, 1],
  compute: (bands, out) => normalizedDifference(band(bands, 'B03'), band(bands, 'B08'), out),
};
