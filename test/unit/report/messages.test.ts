import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeScene } from '../../../core/analysis/analyze.js';
import { parseAnalysisOptions } from '../../../core/analysis/options.js';
import { memoryByteSource } from '../../../core/raster/byte-source.js';
import { AREA_GUIDE, AREA_MODE_LABELS, FACTOR_LABELS, METHOD_LABELS, PIXEL_CLASSES, SPECIES_LABELS, THRESHOLD_LABELS, WARNING_TITLES } from '../../../core/report/labels.js';
import { inPlainWords } from '../../../core/report/plain-words.js';
import { formatSummary } from '../../../adapters/local/cli/summary.js';
import { ERROR_WORDS, MESSAGES } from '../../../web/messages.js';
import { SPECTRA } from '../../helpers/bands.js';
import { internalNames } from '../../helpers/internal-names.js';
import { makeSceneTiff } from '../../helpers/tiff.js';

/** Every text of a catalogue: strings as they are, functions called with a typical argument. */
function texts(catalogue: Record<string, unknown>): Array<[string, string]> {
  return Object.entries(catalogue).flatMap(([name, value]): Array<[string, string]> => {
    if (typeof value === 'string') return [[name, value]];
    if (typeof value === 'function') return [[name, String(value('earth-search.aws.element84.com', 42, '1.5'))]];
    if (value && typeof value === 'object') return Object.values(value).flatMap((inner) => (typeof inner === 'string' ? [[name, inner]] : texts({ [name]: inner })));
    return [];
  });
}

/** Messages the core and the API write for API clients, as the page and the CLI pass them on. */
const API_MESSAGES = [
  'no object "uploads/a.tif" in the imagery store; upload it first (POST /api/uploads)',
  'analyses of a place and dates need a STAC catalog; none is configured (set KELPIE_STAC_URL)',
  'refusing to fetch http://10.0.0.1/x: 10.0.0.1 is a private address; list it in KELPIE_OUTBOUND_HOSTS to allow it (as local test servers do)',
  'no Sentinel-2 L2A scene in https://earth-search.aws.element84.com/v1 covers 36.6, -121.9 (± 2 km) between 2024-06-01 and 2024-08-31 with at most 20 % cloud; widen the dates or raise maxCloudCover',
  'invalid analysis options: method: Invalid option: expected one of "kd"|"fai"|"ndvi"|"ndre"|"consensus"',
  'invalid analysis options: minBedAreaM2: Too small: expected number to be >=0',
  'send your API key in the x-api-key header',
];

describe('user-facing words carry no internal names', () => {
  it('the check finds the names the web map and the CLI used to show', () => {
    const shown = 'wetBiomassKgPerM2 7.55; swirLandMax 0.028; pass boaOffset -1000; set KELPIE_STAC_URL; send it in the x-api-key header; CATALOG_UNAVAILABLE';
    expect(internalNames(shown, 'page')).toEqual(['camelCase name: wetBiomassKgPerM2', 'camelCase name: swirLandMax', 'camelCase name: boaOffset', 'header name: x-api-key', 'setting: KELPIE_STAC_URL', 'code: CATALOG_UNAVAILABLE']);
    expect(internalNames(shown, 'cli')).toHaveLength(4);
  });

  it.each(texts(MESSAGES))('the page says %s in plain words', (_name, text) => {
    expect(internalNames(text, 'page')).toEqual([]);
  });

  it('labels every threshold, factor, method, species, area mode, warning and pixel class in words', () => {
    const labels = [
      ...Object.values(THRESHOLD_LABELS).flatMap((d) => [d.label, d.unit ?? '', d.source ?? '']),
      ...Object.values(FACTOR_LABELS).flatMap((d) => [d.label, d.unit ?? '']),
      ...Object.values(METHOD_LABELS),
      ...Object.values(SPECIES_LABELS),
      ...Object.values(AREA_MODE_LABELS),
      ...Object.values(WARNING_TITLES),
      ...Object.values(ERROR_WORDS),
      ...PIXEL_CLASSES.flatMap((c) => [c.label, c.note]),
      AREA_GUIDE,
    ];
    expect(labels.flatMap((label) => internalNames(label, 'page'))).toEqual([]);
  });

  it.each(API_MESSAGES)('the page and the CLI pass on "%s" in their own words', (message) => {
    expect(internalNames(inPlainWords(message, 'page'), 'page')).toEqual([]);
    expect(internalNames(inPlainWords(message, 'cli'), 'cli')).toEqual([]);
  });

  it('the CLI summary of a result with every warning names no code, and says --boa-offset -1000', async () => {
    // uint16 without an offset, no SCL, no B03: the offset, SCL and glint-guard warnings; NDVI and bull kelp add theirs.
    const bytes = await makeSceneTiff({ width: 32, height: 32, bands: ['B04', 'B06', 'B08', 'B11'], metadata: {}, pixel: () => SPECTRA.water });
    const { result } = await analyzeScene(
      { id: 't', input: { kind: 'multiband', source: memoryByteSource('scene.tif', bytes) }, source: { uri: 'scene.tif' }, options: parseAnalysisOptions({ method: 'ndvi', species: 'nereocystis' }) },
      { clock: { now: () => 0 }, codeVersion: 'test', maxImagePixels: 1e6 },
    );
    expect(result.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['BOA_OFFSET_ASSUMED', 'NO_SCL', 'NO_GLINT_GUARD', 'NDVI_GLINT', 'SPECIES_FACTORS']));
    const summary = formatSummary(result, []);
    expect(summary).toContain('pass --boa-offset -1000');
    expect(internalNames(summary, 'cli')).toEqual([]);
    expect(result.warnings.flatMap((w) => internalNames(`${WARNING_TITLES[w.code]}: ${inPlainWords(w.message, 'page')}`, 'page'))).toEqual([]);
  });

  it('the page keeps its words in the catalogue: no sentence of its own outside web/messages.ts names a setting or code', async () => {
    const html = await readFile(join(import.meta.dirname, '../../../web/index.html'), 'utf8');
    const text = html.replace(/<[^>]+>/g, ' ');
    expect(internalNames(text, 'page')).toEqual([]);
  });
});
