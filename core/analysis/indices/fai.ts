import { BAND_TABLE } from '../bands.js';
import { type IndexPlugin, band } from './index-plugin.js';

const RED_NM = BAND_TABLE.B04.wavelengthNm;
const NIR_NM = BAND_TABLE.B08.wavelengthNm;
const SWIR_NM = BAND_TABLE.B11.wavelengthNm;
/** Position of NIR on the red–SWIR baseline: (833 − 665) / (1612 − 665). */
export const FAI_BASELINE_WEIGHT = (NIR_NM - RED_NM) / (SWIR_NM - RED_NM);
const BASELINE_WEIGHT = FAI_BASELINE_WEIGHT;

/**
 * Floating algae index (Hu 2009, with Sentinel-2 wavelengths as in Mora-Soto et al. 2020):
 * NIR above the red–SWIR baseline, `B08 − (B04 + (B11 − B04) × (833 − 665) / (1612 − 665))`.
 * A spectrally flat offset (sun glint) cancels out, which is why it is robust to glint. Another
 * sensor brings its own wavelengths in `spectral` (Landsat OLI: (865 − 654.5) / (1608.5 − 654.5)).
 */
export const floatingAlgaeIndex: IndexPlugin = {
  name: 'fai',
  description: 'floating algae index B08 − (B04 + (B11 − B04) × 0.1774)',
  inputs: ['B04', 'B08', 'B11'],
  range: [-2, 2],
  compute(bands, out, spectral) {
    const weight = spectral?.faiBaselineWeight ?? BASELINE_WEIGHT;
    const nir = band(bands, 'B08');
    const red = band(bands, 'B04');
    const swir16 = band(bands, 'B11');
    for (let i = 0; i < out.length; i++) out[i] = nir[i] - (red[i] + (swir16[i] - red[i]) * weight);
  },
};
