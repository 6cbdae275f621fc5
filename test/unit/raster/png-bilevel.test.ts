import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../core/errors.js';
import { encodeBilevelPng } from '../../../core/raster/png-encoder.js';
import { readPng } from '../artifacts/read-png.js';

const CLEAR = [0, 0, 0, 0];
const KELP = [0, 200, 83, 255];

describe('encodeBilevelPng', () => {
  it('draws set bits in the second colour and clear bits in the first, most significant bit first', async () => {
    // 10 × 2: row 0 has pixels 0 and 9 set, row 1 pixel 1.
    const bits = Uint8Array.of(0b1000_0000, 0b0100_0000, 0b0100_0000, 0);

    const png = readPng(await encodeBilevelPng({ width: 10, height: 2, bits }, [CLEAR, KELP]));

    expect(png).toMatchObject({ width: 10, height: 2, colourType: 3 });
    const set = Array.from({ length: 20 }, (_, i) => png.rgba[i * 4 + 3] === 255);
    expect(set.flatMap((on, i) => (on ? [i] : []))).toEqual([0, 9, 11]);
    expect(Array.from(png.rgba.subarray(0, 8))).toEqual([...KELP, ...CLEAR]);
  });

  it('refuses bits of the wrong length', async () => {
    await expect(encodeBilevelPng({ width: 9, height: 1, bits: new Uint8Array(1) }, [CLEAR, KELP])).rejects.toBeInstanceOf(InvalidRequestError);
  });
});
