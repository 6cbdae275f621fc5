import { describe, expect, it } from 'vitest';
import { parseMtl } from '../../../core/landsat/mtl.js';
import { mtlJson, mtlText } from '../../helpers/landsat-metadata.js';

const ID = 'LC08_L2SP_044034_20230815_20230823_02_T1';

describe('parseMtl', () => {
  it('reads the same facts from the JSON and the ODL text forms', () => {
    const json = parseMtl(mtlJson({ productId: ID }), `${ID}_MTL.json`);
    const text = parseMtl(mtlText({ productId: ID }), `${ID}_MTL.txt`);
    expect(json).toEqual({
      productId: ID,
      processingLevel: 'L2SP',
      collectionNumber: '02',
      spacecraft: 'LANDSAT_8',
      acquiredAt: '2023-08-15T18:42:38.997Z',
      reflectance: Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((band) => [band, { mult: 0.0000275, add: -0.2 }])),
    });
    expect(text).toEqual(json);
  });

  it('names the file and the field of a damaged MTL', () => {
    const broken = mtlJson({ productId: ID }).replace('"DATE_ACQUIRED": "2023-08-15"', '"DATE_ACQUIRED": "15/08/2023"');
    expect(() => parseMtl(broken, 'scene_MTL.json')).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_FORMAT', message: expect.stringMatching(/^scene_MTL\.json is not a readable .*IMAGE_ATTRIBUTES\.DATE_ACQUIRED/) }));
  });

  it('refuses a text MTL cut short, saying which group is open', () => {
    const cut = mtlText({ productId: ID }).split('END_GROUP = IMAGE_ATTRIBUTES')[0];
    expect(() => parseMtl(cut, 'scene_MTL.txt')).toThrow(/group IMAGE_ATTRIBUTES is never ended/);
  });

  it('refuses a file that is not JSON', () => {
    expect(() => parseMtl('<xml/>', 'scene_MTL.json')).toThrow(/scene_MTL\.json .*it is not JSON/);
  });

  it('reads a Collection 1 MTL far enough to say what it is', () => {
    const c1 = ['GROUP = L1_METADATA_FILE', '  GROUP = METADATA_FILE_INFO', '    LANDSAT_PRODUCT_ID = "LC08_L1TP_044034_20170815_20170826_01_T1"', '    COLLECTION_NUMBER = 01', '  END_GROUP = METADATA_FILE_INFO', '  GROUP = PRODUCT_METADATA', '    DATA_TYPE = "L1TP"', '    SPACECRAFT_ID = "LANDSAT_8"', '  END_GROUP = PRODUCT_METADATA', 'END_GROUP = L1_METADATA_FILE', 'END'].join('\n');
    expect(parseMtl(c1, 'old_MTL.txt')).toMatchObject({ processingLevel: 'L1TP', collectionNumber: '01' });
  });
});
