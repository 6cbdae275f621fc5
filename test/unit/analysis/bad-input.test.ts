import { parseAnalysisOptions } from '../../../core/analysis/options.js';
import { inPlainWords } from '../../../core/report/plain-words.js';
import { describe, expect, it } from 'vitest';
import { analyzeScene } from '../../../core/analysis/analyze.js';
import {
  CorruptImageError,
  ImageTooLargeError,
  InvalidRequestError,
  MissingBandError,
  MissingGeoreferenceError,
  NoValidDataError,
  NotATiffError,
  UnknownBandError,
  UnsupportedFormatError,
} from '../../../core/errors.js';
import { type ByteSource, memoryByteSource } from '../../../core/raster/byte-source.js';
import { SPECTRA } from '../../helpers/bands.js';
import { makeSceneTiff, patchTag } from '../../helpers/tiff.js';

const TAG_WIDTH = 256;
const TAG_HEIGHT = 257;
const TAG_COMPRESSION = 259;

const deps = { clock: { now: () => 0 }, codeVersion: 'test', maxImagePixels: 1_000_000 };

async function analyze(bytes: Uint8Array | ByteSource, options?: unknown) {
  const source = bytes instanceof Uint8Array ? memoryByteSource('upload.tif', bytes) : bytes;
  return analyzeScene({ id: 't', input: { kind: 'multiband', source }, source: { uri: 'upload.tif' }, options: parseAnalysisOptions(options) }, deps);
}

const water = () => ({ ...SPECTRA.water, SCL: 6 });

describe('analyzeScene refuses unusable input with a typed error', () => {
  it('an empty file is not a TIFF', async () => {
    await expect(analyze(new Uint8Array(0))).rejects.toThrowError(NotATiffError);
    await expect(analyze(new Uint8Array(0))).rejects.toThrowError(/empty/);
  });

  it('a PNG is named as a PNG', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    await expect(analyze(png)).rejects.toThrowError(/is a PNG image; expected a GeoTIFF/);
  });

  it('a truncated TIFF says it is truncated', async () => {
    const tiff = await makeSceneTiff({ width: 64, height: 64, pixel: water });
    const error = await analyze(tiff.subarray(0, Math.floor(tiff.byteLength * 0.6))).catch((e) => e);
    expect(error).toBeInstanceOf(CorruptImageError);
    expect(error.message).toMatch(/truncated/);
  });

  it('a TIFF cut inside its header is corrupt, not a crash', async () => {
    const tiff = await makeSceneTiff({ width: 64, height: 64, pixel: water });
    await expect(analyze(tiff.subarray(0, 40))).rejects.toThrowError(CorruptImageError);
  });

  it('a TIFF without georeference is refused', async () => {
    const tiff = await makeSceneTiff({ width: 16, height: 16, pixel: water, georeference: null });
    await expect(analyze(tiff)).rejects.toThrowError(MissingGeoreferenceError);
  });

  it('a missing required band is named, with the bands the image has', async () => {
    const tiff = await makeSceneTiff({ width: 16, height: 16, pixel: water, bands: ['B02', 'B03', 'B04', 'B08', 'B11'] });
    const error = await analyze(tiff).catch((e) => e);
    expect(error).toBeInstanceOf(MissingBandError);
    expect(error.message).toMatch(/missing required band B06; the image has B02, B03, B04, B08, B11/);
  });

  it('unnamed bands ask for a band list, in the words of each surface (never a CLI flag in the API)', async () => {
    const tiff = await makeSceneTiff({ width: 16, height: 16, pixel: water, unnamed: true });
    const error = await analyze(tiff).catch((e) => e);
    expect(error.message).toMatch(/without Sentinel-2 names.*the bands option, e\.g\. B02,B03,B04,B05,B06,B08,B11,SCL/);
    expect(error.message).not.toMatch(/--/);
    expect(inPlainWords(error.message, 'cli')).toMatch(/in order with --bands, e\.g\./);
  });

  it('an unknown band name in the band list lists the known names', async () => {
    const tiff = await makeSceneTiff({ width: 16, height: 16, pixel: water, unnamed: true });
    const error = await analyze(tiff, { bands: ['B02', 'B03', 'B04', 'B05', 'B06', 'B08', 'B11', 'CLOUDS'] }).catch((e) => e);
    expect(error).toBeInstanceOf(UnknownBandError);
    expect(error.message).toMatch(/unknown band "CLOUDS"; known: B01, B02/);
  });

  it('a band list of the wrong length is refused', async () => {
    const tiff = await makeSceneTiff({ width: 16, height: 16, pixel: water });
    await expect(analyze(tiff, { bands: ['B04', 'B06'] })).rejects.toThrowError(InvalidRequestError);
  });

  it('an image over the pixel limit is refused from its header, before reading pixels', async () => {
    const tiff = patchTag(patchTag(await makeSceneTiff({ width: 64, height: 64, pixel: water }), TAG_WIDTH, 100_000), TAG_HEIGHT, 100_000);
    let bytesRead = 0;
    const inner = memoryByteSource('huge.tif', tiff);
    const counting: ByteSource = { ...inner, read: (offset, length) => ((bytesRead += length), inner.read(offset, length)) };
    const error = await analyze(counting).catch((e) => e);
    expect(error).toBeInstanceOf(ImageTooLargeError);
    expect(error.message).toMatch(/100000 × 100000 .* over the limit of 1000000/);
    expect(bytesRead).toBeLessThan(4096);
  });

  it('an unsupported compression is named with what to do', async () => {
    const tiff = patchTag(await makeSceneTiff({ width: 16, height: 16, pixel: water }), TAG_COMPRESSION, 34712);
    const error = await analyze(tiff).catch((e) => e);
    expect(error).toBeInstanceOf(UnsupportedFormatError);
    expect(error.message).toMatch(/compression 34712.*DEFLATE/);
  });

  it('all-NaN float data has no valid pixel', async () => {
    const tiff = await makeSceneTiff({ width: 16, height: 16, sampleType: 'float32', bands: ['B03', 'B04', 'B06', 'B08', 'B11'], pixel: () => ({}) });
    await expect(analyze(tiff)).rejects.toThrowError(NoValidDataError);
  });

  it('unknown options are refused by name', async () => {
    const tiff = await makeSceneTiff({ width: 16, height: 16, pixel: water });
    await expect(analyze(tiff, { metod: 'kd' })).rejects.toThrowError(/Unrecognized key: "metod"/);
  });
});
