import { describe, expect, it } from 'vitest';
import { isCollection1File, landsatFileOf, parseLandsatProductId, sensorOfProduct } from '../../../core/landsat/product-names.js';

describe('Landsat product names', () => {
  it('reads a Collection 2 Level-2 product id', () => {
    expect(parseLandsatProductId('LC08_L2SP_044034_20230815_20230823_02_T1')).toEqual({
      id: 'LC08_L2SP_044034_20230815_20230823_02_T1',
      sensorCode: 'C',
      satellite: '08',
      correction: 'L2SP',
      acquiredOn: '2023-08-15',
      collection: '02',
      category: 'T1',
    });
  });

  it.each([
    ['scene/LC08_L2SP_044034_20230815_20230823_02_T1_SR_B4.TIF', 'SR_B4', 'tif', 'landsat-8'],
    ['lc09_l2sr_044034_20230823_20230825_02_t2_qa_pixel.tif', 'QA_PIXEL', 'tif', 'landsat-9'],
    ['LC08_L2SP_044034_20230815_20230823_02_T1_MTL.json', 'MTL', 'json', 'landsat-8'],
    ['LC08_L1TP_044034_20230815_20230823_02_T1_B4.TIF', 'B4', 'tif', 'landsat-8'],
  ])('finds the product and band of %s', (path, suffix, extension, sensor) => {
    const file = landsatFileOf(path);
    expect(file).toMatchObject({ path, suffix, extension });
    expect(file && sensorOfProduct(file.product)).toBe(sensor);
  });

  it('leaves Sentinel-2 and other names alone', () => {
    for (const path of ['B04.tif', 'T10SEG_20240715T185919_B04_10m.jp2', 'S2A_MSIL2A_20240715_B04.tif', 'LC08_scene_B4.TIF']) expect(landsatFileOf(path)).toBeUndefined();
  });

  it('knows Collection 1 ESPA and pre-collection names', () => {
    expect(isCollection1File('LC08_L1TP_044034_20170815_20170826_01_T1_sr_band4.tif')).toBe(true);
    expect(isCollection1File('x/LC08_L1TP_044034_20170815_20170826_01_T1_pixel_qa.tif')).toBe(true);
    expect(isCollection1File('LC80440342017227LGN00_B4.TIF')).toBe(true);
    expect(isCollection1File('LC08_L2SP_044034_20230815_20230823_02_T1_SR_B4.TIF')).toBe(false);
  });

  it('has no sensor for Landsat 7', () => {
    const product = parseLandsatProductId('LE07_L2SP_044034_20200815_20200910_02_T1');
    expect(product && sensorOfProduct(product)).toBeUndefined();
  });
});
