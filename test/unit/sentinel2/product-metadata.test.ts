import { describe, expect, it } from 'vitest';
import { parseProductMetadata, parseTileMetadata } from '../../../core/sentinel2/product-metadata.js';
import { productMetadataXml, tileMetadataXml } from '../../helpers/safe-metadata.js';

const PRODUCT = 'S2B_MSIL2A_20240715T185919_N0511_R013_T10SEG_20240715T230122';
const FILES = ['GRANULE/L2A_T10SEG_A038521_20240715T190012/IMG_DATA/R10m/T10SEG_20240715T185919_B04_10m'];

describe('parseProductMetadata', () => {
  it('reads the product id, acquisition, baseline, image files and BOA_ADD_OFFSET of every band', () => {
    const metadata = parseProductMetadata(productMetadataXml({ productId: PRODUCT, startTime: '2024-07-15T18:59:19.024Z', baseline: '05.11', boaAddOffset: -1000, imageFiles: FILES }), 'MTD_MSIL2A.xml');
    expect(metadata).toMatchObject({ productId: PRODUCT, acquiredAt: '2024-07-15T18:59:19.024Z', processingBaseline: '05.11', spacecraft: 'Sentinel-2B', imageFiles: FILES });
    expect(metadata.boaAddOffsets).toEqual({ B01: -1000, B02: -1000, B03: -1000, B04: -1000, B05: -1000, B06: -1000, B07: -1000, B08: -1000, B8A: -1000, B09: -1000, B11: -1000, B12: -1000 });
  });

  it('gives no offsets for a product from before baseline 04.00, which has none', () => {
    const metadata = parseProductMetadata(productMetadataXml({ productId: PRODUCT, startTime: '2021-07-15T18:59:19Z', baseline: '03.00', imageFiles: FILES }), 'MTD_MSIL2A.xml');
    expect(metadata.boaAddOffsets).toEqual({});
    expect(metadata.processingBaseline).toBe('03.00');
  });

  it('refuses Level-1C metadata, saying Level-2A is needed', () => {
    expect(() => parseProductMetadata('<n1:Level-1C_User_Product><PRODUCT_URI>S2B_MSIL1C_x.SAFE</PRODUCT_URI></n1:Level-1C_User_Product>', 'MTD_MSIL1C.xml')).toThrow(/Level-1C .* needs Level-2A/);
  });

  it('refuses another quantification than 10000', () => {
    const xml = productMetadataXml({ productId: PRODUCT, startTime: 't', baseline: '05.11', boaAddOffset: -1000, imageFiles: [] }).replace('>10000<', '>1000<');
    expect(() => parseProductMetadata(xml, 'MTD_MSIL2A.xml')).toThrow(/quantification of 1000/);
  });
});

describe('parseTileMetadata', () => {
  it("reads the tile's CRS and geoposition at each resolution", () => {
    const xml = tileMetadataXml({ tileId: 'S2B_OPER_MSI_L2A_TL_TEST_T10SEG', sensingTime: '2024-07-15T19:08:11.5Z', epsg: 32610, transform10: { originX: 590000, originY: 4060000, pixelWidth: 10, pixelHeight: -10 }, size10: 512 });
    expect(parseTileMetadata(xml, 'MTD_TL.xml')).toEqual({
      tileId: 'S2B_OPER_MSI_L2A_TL_TEST_T10SEG',
      sensingTime: '2024-07-15T19:08:11.5Z',
      epsg: 32610,
      geopositions: {
        10: { originX: 590000, originY: 4060000, pixelWidth: 10, pixelHeight: -10 },
        20: { originX: 590000, originY: 4060000, pixelWidth: 20, pixelHeight: -20 },
        60: { originX: 590000, originY: 4060000, pixelWidth: 60, pixelHeight: -60 },
      },
    });
  });
});
