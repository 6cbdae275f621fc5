import { type IndexPlugin, band } from './index-plugin.js';

/** Kelp difference, `B06 − B04` (Mora-Soto et al. 2020): red-edge rises over floating canopy, red does not. */
export const kelpDifference: IndexPlugin = {
  name: 'kd',
  description: 'kelp difference B06 − B04',
  inputs: ['B04', 'B06'],
  range: [-1, 1],
  compute(bands, out) {
    const rededge2 = band(bands, 'B06');
    const red = band(bands, 'B04');
    for (let i = 0; i < out.length; i++) out[i] = rededge2[i] - red[i];
  },
};
