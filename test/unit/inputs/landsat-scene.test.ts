import { describe, expect, it } from 'vitest';
import type { BandSet } from '../../../core/inputs/scene-files.js';
import { openTreeScene } from '../../../core/inputs/tree-scene.js';
import { memoryTree } from '../../helpers/memory-tree.js';
import type { SensorId } from '../../../core/sensors/sensor.js';
import { mtlJson, mtlText } from '../../helpers/landsat-metadata.js';

const L8 = 'LC08_L2SP_044034_20230815_20230823_02_T1';
const L9 = 'LC09_L2SP_044034_20230823_20230825_02_T1';
/** FAI's slots on any sensor: red, NIR, SWIR 1 required; blue, green and quality read when present. */
const FAI: BandSet = { required: ['B04', 'B08', 'B11'], wanted: ['B04', 'B08', 'B11', 'B02', 'B03', 'SCL'] };
const SR = ['SR_B1', 'SR_B2', 'SR_B3', 'SR_B4', 'SR_B5', 'SR_B6', 'SR_B7', 'QA_PIXEL', 'ST_B10', 'QA_RADSAT'];

/** The files of a product as USGS delivers them, under `folder`. */
function product(id: string, bands = SR, extra: Record<string, string> = {}, folder = `${id}/`): Record<string, string> {
  return { ...Object.fromEntries(bands.map((band) => [`${folder}${id}_${band}.TIF`, 'tif'])), ...extra };
}

describe('openTreeScene with a Landsat product', () => {
  it('keys the bands by analysis slot, and names them as Landsat does in the source', async () => {
    const tree = memoryTree('downloads/', product(L8, SR, { [`${L8}/${L8}_MTL.json`]: mtlJson({ productId: L8 }), [`${L8}/${L8}_MTL.txt`]: 'not read' }));
    const asked: SensorId[] = [];
    const scene = await openTreeScene(tree, (sensor) => (asked.push(sensor), FAI));
    expect(asked).toEqual(['landsat-8']);
    expect(scene.sensor).toBe('landsat-8');
    expect(Object.keys(scene.input.sources).sort()).toEqual(['B02', 'B03', 'B04', 'B08', 'B11', 'SCL']);
    expect(scene.input.sources.B08.name).toBe(`${L8}_SR_B5.TIF`);
    expect(scene.input.sources.SCL.name).toBe(`${L8}_QA_PIXEL.TIF`);
    expect(scene.source).toEqual({
      sceneId: L8,
      acquiredAt: '2023-08-15T18:42:38.997Z',
      files: {
        SR_B2: `${L8}/${L8}_SR_B2.TIF`,
        SR_B3: `${L8}/${L8}_SR_B3.TIF`,
        SR_B4: `${L8}/${L8}_SR_B4.TIF`,
        SR_B5: `${L8}/${L8}_SR_B5.TIF`,
        SR_B6: `${L8}/${L8}_SR_B6.TIF`,
        QA_PIXEL: `${L8}/${L8}_QA_PIXEL.TIF`,
      },
    });
  });

  it('reads lower-case names and a text MTL, and knows Landsat 9', async () => {
    const files = Object.fromEntries(Object.entries(product(L9, SR, {}, '')).map(([path, text]) => [path.toLowerCase(), text]));
    const scene = await openTreeScene(memoryTree('the files given', { ...files, [`${L9}_MTL.txt`]: mtlText({ productId: L9, spacecraft: 'LANDSAT_9', date: '2023-08-23', time: '18:42:40.12Z' }) }), FAI);
    expect(scene.sensor).toBe('landsat-9');
    expect(scene.source).toMatchObject({ sceneId: L9, acquiredAt: '2023-08-23T18:42:40.120Z' });
    expect(scene.source.files?.SR_B4).toBe(`${L9.toLowerCase()}_sr_b4.tif`);
  });

  it('opens a product without QA_PIXEL (the analysis warns) and takes the day from the id without an MTL', async () => {
    const scene = await openTreeScene(memoryTree('zip', product(L8, ['SR_B2', 'SR_B3', 'SR_B4', 'SR_B5', 'SR_B6'])), FAI);
    expect(scene.input.sources.SCL).toBeUndefined();
    expect(scene.source.acquiredAt).toBe('2023-08-15');
  });

  it('names a missing band as Landsat does, with the file to add', async () => {
    await expect(openTreeScene(memoryTree('downloads/', product(L8, ['SR_B4', 'SR_B5', 'QA_PIXEL'])), FAI)).rejects.toMatchObject({
      code: 'MISSING_BAND',
      missing: ['SR_B6'],
      message: expect.stringContaining(`add ${L8}_SR_B6.TIF from the same product`),
    });
  });

  it("says a method's red-edge band is not Landsat's, when the bands were chosen for Sentinel-2", async () => {
    const kd: BandSet = { required: ['B06', 'B04', 'B08', 'B11'], wanted: ['B06', 'B04', 'B08', 'B11'] };
    await expect(openTreeScene(memoryTree('downloads/', product(L8)), kd)).rejects.toMatchObject({
      code: 'MISSING_BAND',
      message: expect.stringContaining('Landsat 8 OLI has no band for B06 (redEdge2), which the method asked for needs; on Landsat use the methods fai, ndvi, consensus (default fai)'),
    });
  });

  it.each([
    ['a Level-1 product', product('LC08_L1TP_044034_20230815_20230823_02_T1', ['B4', 'B5', 'B6', 'QA_PIXEL']), /a Level-1 product \(L1TP: top-of-atmosphere/],
    ['a Collection 1 product', product('LC08_L2SP_044034_20170815_20200903_01_T1', SR), /a Collection 1 product/],
    ['Collection 1 ESPA files', { 'LC08_L1TP_044034_20170815_20170826_01_T1_sr_band4.tif': '', 'LC08_L1TP_044034_20170815_20170826_01_T1_pixel_qa.tif': '' }, /Collection 1 or pre-collection product/],
    ['an MTL of Collection 1', product(L8, SR, { [`${L8}_MTL.json`]: mtlJson({ productId: L8, collection: '01' }) }), /not Collection 2 Level-2 surface reflectance/],
    ['an MTL with another reflectance rule', product(L8, SR, { [`${L8}_MTL.json`]: mtlJson({ productId: L8, mult: '0.0001', add: '0' }) }), /reflectance rule DN × 0\.0001 \+ 0; Collection 2 Level-2 surface reflectance is DN × 0\.0000275 \+ -0\.2/],
  ])('refuses %s as not surface reflectance, saying what to download', async (_, files, message) => {
    await expect(openTreeScene(memoryTree('downloads/', files), FAI)).rejects.toMatchObject({ code: 'NOT_SURFACE_REFLECTANCE', message: expect.stringMatching(message) });
    await expect(openTreeScene(memoryTree('downloads/', files), FAI)).rejects.toThrow(/Collection 2 Level-2 surface reflectance product instead/);
  });

  it.each([
    ['two products', { ...product(L8), ...product(L9) }, /files of 2 Landsat products/],
    ['Landsat 7', product('LE07_L2SP_044034_20200815_20200910_02_T1', ['SR_B3', 'SR_B4']), /a Landsat 7 product; the analysis reads Landsat 8 and 9/],
    ['an MTL of another product', product(L8, SR, { [`${L8}/${L8}_MTL.json`]: mtlJson({ productId: L9 }).replace(L9, L8).replace('"LANDSAT_8"', '"LANDSAT_9"') }), /gives SPACECRAFT_ID LANDSAT_9/],
    ['a damaged MTL', product(L8, SR, { [`${L8}/${L8}_MTL.json`]: '{"LANDSAT_METADATA_FILE": {' }), new RegExp(`${L8}_MTL\\.json is not a readable`)],
  ])('refuses %s as unusable, saying why', async (_, files, message) => {
    await expect(openTreeScene(memoryTree('downloads/', files), FAI)).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT', message: expect.stringMatching(message) });
  });

  it('still opens Sentinel-2 band files as before, for Sentinel-2', async () => {
    const scene = await openTreeScene(memoryTree('downloads/', { 'B04.tif': '', 'B08.tif': '', 'B11.tif': '' }), FAI);
    expect(scene.sensor).toBe('sentinel-2');
    expect(scene.source).toEqual({ files: { B04: 'B04.tif', B08: 'B08.tif', B11: 'B11.tif' } });
  });
});
