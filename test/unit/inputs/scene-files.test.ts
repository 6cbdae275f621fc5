import { describe, expect, it } from 'vitest';
import type { FileTree } from '../../../core/inputs/file-tree.js';
import { openSceneFiles } from '../../../core/inputs/scene-files.js';
import { memoryTree } from '../../helpers/memory-tree.js';
import { productMetadataXml, tileMetadataXml } from '../../helpers/safe-metadata.js';

const SAFE = 'S2B_MSIL2A_20240715T185919_N0511_R013_T10SEG_20240715T230122.SAFE/';
const GRANULE = 'GRANULE/L2A_T10SEG_A038521_20240715T190012/';
const image = (resolution: number, band: string) => `${GRANULE}IMG_DATA/R${resolution}m/T10SEG_20240715T185919_${band}_${resolution}m`;
const KD = { required: ['B06', 'B04', 'B08', 'B11'] as const, wanted: ['B06', 'B04', 'B08', 'B11', 'B02', 'B03', 'SCL'] as const };

/** A .SAFE with the given image files (relative to it, without extension) present as .jp2 members. */
function safeTree(imageFiles: string[], listed = imageFiles): FileTree {
  const files: Record<string, string> = {
    [`${SAFE}MTD_MSIL2A.xml`]: productMetadataXml({ productId: SAFE.slice(0, -6), startTime: '2024-07-15T18:59:19.024Z', baseline: '05.11', boaAddOffset: -1000, imageFiles: listed }),
    [`${SAFE}${GRANULE}MTD_TL.xml`]: tileMetadataXml({ tileId: 'T10SEG', sensingTime: '2024-07-15T19:08:11Z', epsg: 32610, transform10: { originX: 590000, originY: 4060000, pixelWidth: 10, pixelHeight: -10 }, size10: 10980 }),
    [`${SAFE}manifest.safe`]: '<xfdu/>',
  };
  for (const file of imageFiles) files[`${SAFE}${file}.jp2`] = 'jp2';
  return memoryTree('S2B.zip', files);
}

const FULL = [
  ...['B02', 'B03', 'B04', 'B08', 'TCI', 'AOT'].map((band) => image(10, band)),
  ...['B02', 'B03', 'B04', 'B05', 'B06', 'B07', 'B8A', 'B11', 'B12', 'SCL', 'TCI'].map((band) => image(20, band)),
  ...['B01', 'B04', 'B06', 'B09', 'SCL'].map((band) => image(60, band)),
];

describe('openSceneFiles', () => {
  it("opens the finest file of each band the analysis reads in a .SAFE, with the product's metadata", async () => {
    const files = await openSceneFiles(safeTree(FULL), KD);
    expect(files.paths).toEqual({
      B02: `${SAFE}${image(10, 'B02')}.jp2`,
      B03: `${SAFE}${image(10, 'B03')}.jp2`,
      B04: `${SAFE}${image(10, 'B04')}.jp2`,
      B06: `${SAFE}${image(20, 'B06')}.jp2`,
      B08: `${SAFE}${image(10, 'B08')}.jp2`,
      B11: `${SAFE}${image(20, 'B11')}.jp2`,
      SCL: `${SAFE}${image(20, 'SCL')}.jp2`,
    });
    expect(Object.keys(files.sources).sort()).toEqual(['B02', 'B03', 'B04', 'B06', 'B08', 'B11', 'SCL']);
    expect(files.product?.metadata).toMatchObject({ productId: SAFE.slice(0, -6), processingBaseline: '05.11', boaAddOffsets: expect.objectContaining({ B04: -1000 }) });
    expect(files.product?.tile).toMatchObject({ epsg: 32610 });
  });

  it('names the missing bands of an incomplete product, and what it has', async () => {
    const incomplete = FULL.filter((file) => !/_B06_|_B11_/.test(file));
    await expect(openSceneFiles(safeTree(incomplete), KD)).rejects.toMatchObject({
      code: 'MISSING_BAND',
      missing: ['B06', 'B11'],
      message: expect.stringMatching(/missing required bands B06, B11; .*B04.*S2B.zip is an incomplete Level-2A product: it has no band file for B06, B11/),
    });
  });

  it('finds band files by name in a folder that is not a .SAFE, the finest of each', async () => {
    const tree = memoryTree('downloads/', { 'red.tif': '', 'rededge2.tif': '', 'nir.tif': '', 'swir16.tif': '', 'T10SEG_20240715T185919_B04_20m.jp2': '', 'notes.txt': '' });
    const files = await openSceneFiles(tree, KD);
    expect(files.paths).toEqual({ B04: 'red.tif', B06: 'rededge2.tif', B08: 'nir.tif', B11: 'swir16.tif' });
    expect(files.product).toBeUndefined();
  });

  it('names the bands found, and the naming to add the missing ones with', async () => {
    const tree = memoryTree('downloads/', { 'B04.tif': '', 'B08.tif': '' });
    await expect(openSceneFiles(tree, KD)).rejects.toMatchObject({
      code: 'MISSING_BAND',
      message: 'missing required bands B06, B11; the image has B04, B08. Found in downloads/: B04 (B04.tif), B08 (B08.tif). Add a file for each missing band, named for it (T10SEG_20240715T185919_B04_10m.jp2, S2A_…_B04.tif, B04.tif or red.tif), beside the others (or give the whole .SAFE)',
    });
  });

  it('refuses two files of one band at one resolution', async () => {
    await expect(openSceneFiles(memoryTree('d/', { 'B04.tif': '', 'red.tif': '' }), KD)).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT', message: expect.stringContaining('two files for band B04') });
  });

  it('says what a tree without a product or band files holds', async () => {
    await expect(openSceneFiles(memoryTree('photos.zip', { 'a.png': '', 'scene.tif': '' }), KD)).rejects.toMatchObject({
      code: 'UNSUPPORTED_FORMAT',
      message: 'photos.zip is not a Sentinel-2 Level-2A product (no MTD_MSIL2A.xml) and holds no file named for a band (such as T10SEG_20240715T185919_B04_10m.jp2, S2A_…_B04.tif, B04.tif or red.tif); it has 2 files (1 raster): a.png, scene.tif',
    });
  });
});
