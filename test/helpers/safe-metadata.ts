/**
 * Sentinel-2 Level-2A metadata files with the structure ESA's products have (S2 PSD 15:
 * `n1:Level-2A_User_Product` and `n1:Level-2A_Tile_ID`, the same element names and nesting,
 * trimmed of what the analysis does not read: angle grids, spectral responses, quality
 * indicators). Written by the tests; no real product's file is copied.
 */
import type { GeoTransform } from '../../core/raster/grid.js';

/** ESA band index (band_id, bandId) order: B1 … B8, B8A, B9, B10, B11, B12. */
const PHYSICAL_BANDS = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8', 'B8A', 'B9', 'B10', 'B11', 'B12'];
const RESOLUTIONS = [60, 10, 10, 10, 20, 20, 20, 10, 20, 60, 60, 20, 20];

export interface ProductMetadataSpec {
  /** e.g. `S2B_MSIL2A_20240715T185919_N0511_R013_T10SEG_20240715T230122`. */
  productId: string;
  startTime: string;
  baseline: string;
  /** BOA_ADD_OFFSET per band index; none for baselines before 04.00 (the list is absent then). */
  boaAddOffset?: number;
  /** Image files relative to the .SAFE, without extension. */
  imageFiles: string[];
}

/** An `MTD_MSIL2A.xml`. */
export function productMetadataXml(spec: ProductMetadataSpec): string {
  const offsets =
    spec.boaAddOffset === undefined
      ? ''
      : `            <BOA_ADD_OFFSET_VALUES_LIST>\n${PHYSICAL_BANDS.map((_, id) => `        <BOA_ADD_OFFSET band_id="${id}">${spec.boaAddOffset}</BOA_ADD_OFFSET>`).join('\n')}\n      </BOA_ADD_OFFSET_VALUES_LIST>\n`;
  const spectral = PHYSICAL_BANDS.map((band, id) => `        <Spectral_Information bandId="${id}" physicalBand="${band}">\n          <RESOLUTION>${RESOLUTIONS[id]}</RESOLUTION>\n        </Spectral_Information>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<n1:Level-2A_User_Product xmlns:n1="https://psd-15.sentinel2.eo.esa.int/PSD/User_Product_Level-2A.xsd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="https://psd-15.sentinel2.eo.esa.int/PSD/User_Product_Level-2A.xsd">
    <n1:General_Info>
        <Product_Info>
            <PRODUCT_START_TIME>${spec.startTime}</PRODUCT_START_TIME>
            <PRODUCT_STOP_TIME>${spec.startTime}</PRODUCT_STOP_TIME>
            <PRODUCT_URI>${spec.productId}.SAFE</PRODUCT_URI>
            <PROCESSING_LEVEL>Level-2A</PROCESSING_LEVEL>
            <PRODUCT_TYPE>S2MSI2A</PRODUCT_TYPE>
            <PROCESSING_BASELINE>${spec.baseline}</PROCESSING_BASELINE>
            <Datatake datatakeIdentifier="GS2B_${spec.productId.slice(11, 26)}_038521_N${spec.baseline}">
      <SPACECRAFT_NAME>Sentinel-2B</SPACECRAFT_NAME>
      <DATATAKE_TYPE>INS-NOBS</DATATAKE_TYPE>
      <DATATAKE_SENSING_START>${spec.startTime}</DATATAKE_SENSING_START>
    </Datatake>
<Query_Options completeSingleTile="true">
<PRODUCT_FORMAT>SAFE_COMPACT</PRODUCT_FORMAT>
</Query_Options>
<Product_Organisation>
                <Granule_List>
                    <Granule datastripIdentifier="S2B_OPER_MSI_L2A_DS_TEST" granuleIdentifier="S2B_OPER_MSI_L2A_TL_TEST" imageFormat="JPEG2000">
${spec.imageFiles.map((file) => `                        <IMAGE_FILE>${file}</IMAGE_FILE>`).join('\n')}
                    </Granule>
                </Granule_List>
</Product_Organisation>
        </Product_Info>
        <Product_Image_Characteristics>
            <Special_Values>
                <SPECIAL_VALUE_TEXT>NODATA</SPECIAL_VALUE_TEXT>
                <SPECIAL_VALUE_INDEX>0</SPECIAL_VALUE_INDEX>
            </Special_Values>
            <QUANTIFICATION_VALUES_LIST>
                <BOA_QUANTIFICATION_VALUE unit="none">10000</BOA_QUANTIFICATION_VALUE>
                <AOT_QUANTIFICATION_VALUE unit="none">1000.0</AOT_QUANTIFICATION_VALUE>
                <WVP_QUANTIFICATION_VALUE unit="cm">1000.0</WVP_QUANTIFICATION_VALUE>
            </QUANTIFICATION_VALUES_LIST>
${offsets}            <Spectral_Information_List>
${spectral}
      </Spectral_Information_List>
        </Product_Image_Characteristics>
    </n1:General_Info>
</n1:Level-2A_User_Product>
`;
}

export interface TileMetadataSpec {
  tileId: string;
  sensingTime: string;
  epsg: number;
  /** The 10 m grid: upper-left corner, and its size in pixels. */
  transform10: GeoTransform;
  size10: number;
}

/** An `MTD_TL.xml` with the tile's geocoding at 10, 20 and 60 m. */
export function tileMetadataXml(spec: TileMetadataSpec): string {
  const { originX, originY } = spec.transform10;
  const sizes = [10, 20, 60].map((r) => `      <Size resolution="${r}">\n        <NROWS>${Math.ceil((spec.size10 * 10) / r)}</NROWS>\n        <NCOLS>${Math.ceil((spec.size10 * 10) / r)}</NCOLS>\n      </Size>`);
  const positions = [10, 20, 60].map((r) => `      <Geoposition resolution="${r}">\n        <ULX>${originX}</ULX>\n        <ULY>${originY}</ULY>\n        <XDIM>${r}</XDIM>\n        <YDIM>-${r}</YDIM>\n      </Geoposition>`);
  return `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<n1:Level-2A_Tile_ID xmlns:n1="https://psd-15.sentinel2.eo.esa.int/PSD/S2_PDI_Level-2A_Tile_Metadata.xsd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <n1:General_Info>
    <TILE_ID metadataLevel="Brief">${spec.tileId}</TILE_ID>
    <SENSING_TIME metadataLevel="Standard">${spec.sensingTime}</SENSING_TIME>
  </n1:General_Info>
  <n1:Geometric_Info>
    <Tile_Geocoding metadataLevel="Brief">
      <HORIZONTAL_CS_NAME>WGS84 / UTM zone ${spec.epsg % 100}N</HORIZONTAL_CS_NAME>
      <HORIZONTAL_CS_CODE>EPSG:${spec.epsg}</HORIZONTAL_CS_CODE>
${sizes.join('\n')}
${positions.join('\n')}
    </Tile_Geocoding>
  </n1:Geometric_Info>
</n1:Level-2A_Tile_ID>
`;
}
