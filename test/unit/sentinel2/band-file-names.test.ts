import { describe, expect, it } from 'vitest';
import { bandOfFileName } from '../../../core/sentinel2/band-file-names.js';

describe('bandOfFileName', () => {
  it.each([
    ['T10SEG_20240715T185919_B04_10m.jp2', { band: 'B04', resolutionM: 10 }],
    ['S2B_MSIL2A_….SAFE/GRANULE/L2A_T10SEG/IMG_DATA/R20m/T10SEG_20240715T185919_SCL_20m.jp2', { band: 'SCL', resolutionM: 20 }],
    ['T10SEG_20240715T185919_B8A_20m.jp2', { band: 'B8A', resolutionM: 20 }],
    ['S2A_MSIL2A_20240715T185919_N0510_R013_T10SEG_B04.tif', { band: 'B04' }],
    ['T10SEG_20240715T185919_B11.jp2', { band: 'B11' }],
    ['B06.tif', { band: 'B06' }],
    ['b8.TIF', { band: 'B08' }],
    ['red.tif', { band: 'B04' }],
    ['rededge2.tif', { band: 'B06' }],
    ['swir16.tiff', { band: 'B11' }],
    ['scl.tif', { band: 'SCL' }],
    ['downloads/S2B_36QWD_20240715_0_L2A/nir.tif', { band: 'B08' }],
  ])('%s carries %o', (name, expected) => {
    expect(bandOfFileName(name)).toEqual(expected);
  });

  it.each(['T10SEG_20240715T185919_TCI_10m.jp2', 'T10SEG_20240715T185919_AOT_10m.jp2', 'MSK_CLDPRB_20m.jp2', 'scene.tif', 'B04.png', 'MTD_MSIL2A.xml', 'red_edge.tif'])(
    '%s carries no band',
    (name) => {
      expect(bandOfFileName(name)).toBeUndefined();
    },
  );
});
