import { describe, expect, it } from 'vitest';
import { analyzeScene } from '../../../core/analysis/analyze.js';
import { MASK } from '../../../core/analysis/mask-values.js';
import { parseAnalysisOptions } from '../../../core/analysis/options.js';
import { memoryByteSource } from '../../../core/raster/byte-source.js';
import { encodeTiff } from '../../../core/raster/tiff-encoder.js';
import { QA_PIXEL_BITS } from '../../../core/sensors/landsat.js';

/**
 * A small Landsat 8 C2 L2 scene on a 30 m grid, as USGS encodes it (DN = (ρ + 0.2) / 0.0000275,
 * 0 fill, QA_PIXEL bits): open water, a block of full canopy, land on the east side, a cloud
 * and a cloud shadow (flagged in QA_PIXEL only) over water and canopy, and a fill corner.
 * Reflectance of OLI bands 2, 3, 4, 5, 6, 7 for each surface (hand-picked from the shapes in
 * core/sample/spectra.ts: canopy's NIR plateau over dark water, land bright in the SWIR).
 */
const SURFACES = {
  water: [0.045, 0.035, 0.015, 0.004, 0.002, 0.001],
  canopy: [0.025, 0.04, 0.025, 0.2, 0.015, 0.008],
  soil: [0.1, 0.14, 0.18, 0.27, 0.33, 0.28],
} as const;
const BAND_NAMES = ['SR_B2', 'SR_B3', 'SR_B4', 'SR_B5', 'SR_B6', 'SR_B7', 'QA_PIXEL'];
const SIZE = 48;
const bit = (name: keyof typeof QA_PIXEL_BITS) => 1 << QA_PIXEL_BITS[name];
const CLEAR_WATER = bit('clear') | bit('water');

type Cell = { surface: keyof typeof SURFACES; qa: number } | 'fill';

function cellAt(x: number, y: number): Cell {
  if (x < 4 && y < 4) return 'fill';
  if (x >= 40) return { surface: 'soil', qa: bit('clear') };
  const canopy = x >= 10 && x < 20 && y >= 10 && y < 20;
  const surface = canopy ? 'canopy' : 'water';
  // Cloud over the canopy block's lower part, and a shadow over canopy and water right of it: only QA_PIXEL says so.
  if (y >= 16 && y < 20 && x >= 10 && x < 20) return { surface, qa: bit('cloud') | bit('dilatedCloud') };
  if (y >= 10 && y < 20 && x >= 20 && x < 24) return { surface: 'canopy', qa: bit('cloudShadow') | bit('clear') };
  return { surface, qa: canopy ? bit('clear') : CLEAR_WATER };
}

async function landsatTiff(options: { withQa?: boolean; described?: boolean } = {}): Promise<Uint8Array> {
  const withQa = options.withQa ?? true;
  const names = withQa ? BAND_NAMES : BAND_NAMES.slice(0, -1);
  const arrays = names.map(() => new Uint16Array(SIZE * SIZE));
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const cell = cellAt(x, y);
      const i = y * SIZE + x;
      if (cell === 'fill') {
        if (withQa) arrays[6][i] = bit('fill');
        continue;
      }
      SURFACES[cell.surface].forEach((rho, b) => (arrays[b][i] = Math.round((rho + 0.2) / 0.0000275)));
      if (withQa) arrays[6][i] = cell.qa;
    }
  }
  return encodeTiff(
    {
      width: SIZE,
      height: SIZE,
      bands: names.length,
      sampleType: 'uint16',
      tileSize: 16,
      georeference: { transform: { originX: 590_010, originY: 4_050_000, pixelWidth: 30, pixelHeight: -30 }, epsg: 32610 },
      nodata: 0,
      ...(options.described === false ? {} : { bandDescriptions: names }),
    },
    arrays,
  );
}

const deps = { clock: { now: () => 0 }, codeVersion: 'test', maxImagePixels: 1_000_000 };

async function analyze(bytes: Uint8Array, options: unknown, bands?: string[]) {
  const input = { kind: 'multiband' as const, source: memoryByteSource('LC08_scene.tif', bytes), ...(bands ? { bands } : {}) };
  return analyzeScene({ id: 't', input, source: { uri: 'LC08_scene.tif' }, options: parseAnalysisOptions(options) }, deps);
}

const kelpPixels = (mask: Uint8Array) => mask.reduce((n, v) => n + (v === MASK.kelp ? 1 : 0), 0);

describe('a Landsat 8 Collection 2 Level-2 scene', () => {
  it('is analysed with FAI by default, its reflectance by the USGS rule and its clouds and shadows by QA_PIXEL', async () => {
    const { result, mask } = await analyze(await landsatTiff(), { sensor: 'landsat-8' });
    expect(result.method.name).toBe('fai');
    expect(result.kelp.areaMode).toBe('fractional');
    expect(result.source).toMatchObject({
      sensor: 'landsat-8',
      pixelSizeM: 30,
      bandRoles: { blue: 'SR_B2', green: 'SR_B3', red: 'SR_B4', nir: 'SR_B5', swir1: 'SR_B6', swir2: 'SR_B7', quality: 'QA_PIXEL' },
      reflectance: { kind: 'scale-offset', scale: 0.0000275, offset: -0.2, origin: 'sensor' },
    });
    // The canopy block is 10 × 10; its lower 4 rows are under cloud, and the 4 × 10 canopy to its right is in shadow.
    expect(kelpPixels(mask)).toBe(60);
    expect(result.pixels).toMatchObject({ cloud: 40, shadow: 40, nodata: 16 });
    expect(result.pixels.land).toBeGreaterThanOrEqual(8 * SIZE);
    // 60 pixels of 900 m²: the binary area is theirs.
    expect(result.kelp.binaryAreaM2).toBeCloseTo(60 * 900, 0);
    expect(result.method.thresholdNotes?.swirLandMax).toMatch(/transferred from Sentinel-2/);
    expect(result.warnings.map((w) => w.code)).toContain('COARSE_PIXELS');
    expect(result.warnings.find((w) => w.code === 'COARSE_PIXELS')?.message).toMatch(/single pixel of canopy counts as a bed/);
  });

  it('runs ndvi and consensus (FAI and NDVI both), and finds the same canopy', async () => {
    const tiff = await landsatTiff();
    for (const method of ['ndvi', 'consensus']) {
      const { result, mask } = await analyze(tiff, { sensor: 'landsat-9', method });
      expect(result.method.name).toBe(method);
      expect(kelpPixels(mask)).toBe(60);
    }
    const { result } = await analyze(tiff, { sensor: 'landsat-9', method: 'consensus' });
    expect(result.method.description).toMatch(/fai and ndvi both/);
  });

  it('refuses kd and ndre, naming the methods that work', async () => {
    const tiff = await landsatTiff();
    for (const method of ['kd', 'ndre']) {
      await expect(analyze(tiff, { sensor: 'landsat-8', method })).rejects.toMatchObject({
        code: 'UNSUPPORTED_METHOD',
        kind: 'invalid',
        message: expect.stringMatching(/needs red-edge bands.*"fai", "ndvi", "consensus"/),
      });
    }
  });

  it('without QA_PIXEL still runs, warns that the masks are weaker, and cannot see the shadow', async () => {
    const { result, mask } = await analyze(await landsatTiff({ withQa: false }), { sensor: 'landsat-8' });
    expect(result.warnings.find((w) => w.code === 'NO_QUALITY_BAND')?.message).toMatch(/no QA_PIXEL band: clouds are masked by brightness only/);
    expect(result.pixels.shadow).toBe(0);
    // The cloud of this scene is in QA_PIXEL only (its pixels are canopy and water), so the canopy under it counts now.
    expect(kelpPixels(mask)).toBe(140);
  });

  it('takes Landsat band names for an unnamed multi-band file, and refuses Sentinel-2 ones', async () => {
    const tiff = await landsatTiff({ described: false });
    const { result } = await analyze(tiff, { sensor: 'landsat-8' }, ['blue', 'green', 'red', 'nir08', 'swir16', 'swir22', 'qa_pixel']);
    expect(result.source.bandRoles).toMatchObject({ nir: 'SR_B5', quality: 'QA_PIXEL' });
    await expect(analyze(tiff, { sensor: 'landsat-8' })).rejects.toThrow(/without Landsat 8 OLI names.*SR_B2,SR_B3,SR_B4,SR_B5,SR_B6,SR_B7,QA_PIXEL/);
    await expect(analyze(tiff, { sensor: 'landsat-8' }, ['B02', 'B03', 'B04', 'B8A', 'B11', 'B12', 'SCL'])).rejects.toThrow(/unknown band "B8A"; known: SR_B1, SR_B2/);
  });
});

describe('what a Landsat result says, in words', () => {
  it('titles its warnings and keeps code names off the page and the CLI', async () => {
    const { formatSummary } = await import('../../../adapters/local/cli/summary.js');
    const { WARNING_TITLES } = await import('../../../core/report/labels.js');
    const { inPlainWords } = await import('../../../core/report/plain-words.js');
    const { internalNames } = await import('../../helpers/internal-names.js');
    const { result } = await analyze(await landsatTiff({ withQa: false }), { sensor: 'landsat-8' });
    expect(result.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['NO_QUALITY_BAND', 'COARSE_PIXELS']));
    for (const warning of result.warnings) expect(WARNING_TITLES[warning.code]).toBeDefined();
    expect(internalNames(formatSummary(result, []), 'cli')).toEqual([]);
    expect(result.warnings.flatMap((w) => internalNames(`${WARNING_TITLES[w.code]}: ${inPlainWords(w.message, 'page')}`, 'page'))).toEqual([]);
    expect(formatSummary(result, [])).toMatch(/Scene .*Landsat 8 OLI/);
  });
});
