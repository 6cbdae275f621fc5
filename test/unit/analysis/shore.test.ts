import { describe, expect, it } from 'vitest';
import { createCandidates } from '../../../core/analysis/candidates.js';
import { MASK } from '../../../core/analysis/mask-values.js';
import { resolveShore } from '../../../core/analysis/shore.js';

/**
 * A scan's working mask from a picture: `L` SWIR land, `s` SWIR land that the 10 m test calls
 * sea, `S` the same and shore kelp, `K` kelp by both rules, `m` kelp by the method only, `t` kelp
 * by the 10 m test only, `c` land by 10 m colour only, `.` water. Candidates are recorded as the
 * scan does (one value per candidate pixel, row-major).
 */
function scanned(picture: string[]) {
  const codes: Record<string, number> = {
    L: MASK.land,
    s: MASK.shoreSeaWater,
    S: MASK.shoreSeaKelp,
    K: MASK.kelp,
    m: MASK.shoreMethodOnly,
    t: MASK.shoreTestOnly,
    c: MASK.colourLand,
    '.': MASK.water,
  };
  const width = picture[0].length;
  const mask = Uint8Array.from(picture.join(''), (ch) => codes[ch]);
  const { candidates } = createCandidates(['kd']);
  picture.forEach((line, y) => {
    let start = -1;
    for (let x = 0; x <= width; x++) {
      const candidate = x < width && 'KmtS'.includes(line[x]);
      if (candidate) {
        if (start < 0) start = x;
        candidates.values.push(0.1 + x / 1000, 0.2 + x / 1000, [0.05]);
      } else if (start >= 0) {
        candidates.runs.push(y, start, x, x - start);
        start = -1;
      }
    }
  });
  return { mask, width, height: picture.length, candidates };
}

function picture(mask: Uint8Array, width: number): string[] {
  const symbol = (v: number) => (v === MASK.kelp ? 'K' : v === MASK.land ? 'L' : v === MASK.coast ? 'o' : v === MASK.water ? '.' : '?');
  const rows: string[] = [];
  for (let i = 0; i < mask.length; i += width) rows.push(Array.from(mask.subarray(i, i + width), symbol).join(''));
  return rows;
}

describe('resolveShore', () => {
  it('takes the 10 m test’s answer within the zone and the method’s outside it', () => {
    const s = scanned([
      'm....tKK.LL', //
      'm....tKKtLL',
      'm.....KmmLL',
    ]);
    const result = resolveShore(s.mask, s.width, s.height, s.candidates, 2, true);
    expect(picture(s.mask, s.width)).toEqual([
      'K.....KK.LL', //
      'K.....KKKLL',
      'K.....K..LL',
    ]);
    expect(result.runs.length).toBe(6);
    expect(result.values.length).toBe(9);
  });

  it('keeps canopy the 20 m SWIR called land when the 10 m test shows sea, next to a bed', () => {
    const s = scanned([
      'KKKSLLL', //
      'KKKSsLL',
      'KKK.sLL',
    ]);
    const result = resolveShore(s.mask, s.width, s.height, s.candidates, 2, true);
    expect(picture(s.mask, s.width)).toEqual([
      'KKKKLLL', //
      'KKKK.LL',
      'KKK..LL',
    ]);
    // Zone kelp: the S pixels and the bed's pixels within 2 of the shoreline, all near its offshore part.
    expect(result.summary).toMatchObject({ test: true, zoneKelp: 8, zoneKelpDropped: 0, seaUnderSwirLand: 4 });
    // Shore pixels carry their shore FAI, the others their FAI.
    expect(result.values.shore.view()[3]).toBe(1);
    expect(result.values.fai.get(3)).toBeCloseTo(0.203, 6);
    expect(result.values.fai.get(0)).toBeCloseTo(0.1, 6);
  });

  it('drops shore canopy that is not near a bed outside the zone', () => {
    const s = scanned([
      '.......LL', //
      '......SLL',
      '......SLL',
      '.......LL',
    ]);
    const result = resolveShore(s.mask, s.width, s.height, s.candidates, 2, true);
    expect(picture(s.mask, s.width).join('')).not.toContain('K');
    expect(result.summary.zoneKelpDropped).toBe(2);
  });

  it('drops a line of shore pixels running along the coast away from a bed', () => {
    // A bed at the top touches the shore; below it only the shoreline pixels pass the 10 m test.
    const line = ['KKKSLL', ...Array.from({ length: 10 }, () => '...SLL')];
    const s = scanned(line);
    resolveShore(s.mask, s.width, s.height, s.candidates, 2, true);
    const shoreColumn = picture(s.mask, s.width).map((row) => row[3]);
    // Reached from the bed's offshore pixel (x = 0) within the zone's 2 px + 3 steps.
    expect(shoreColumn.slice(0, 4)).toEqual(['K', 'K', 'K', 'K']);
    expect(shoreColumn.slice(4).every((v) => v === '.')).toBe(true);
  });

  it('starts the zone at pixels whose 10 m colour is land, even where the SWIR saw water', () => {
    const s = scanned([
      'KKK.m.', //
      'KKK.mc',
      'KKK...',
    ]);
    resolveShore(s.mask, s.width, s.height, s.candidates, 2, true);
    expect(picture(s.mask, s.width)).toEqual(['KKK...', 'KKK...', 'KKK...']);
  });

  it('without the 10 m test, leaves the zone out as coast, as before', () => {
    const s = scanned([
      'K....KKLL', //
      'K.....KLL',
    ]);
    const result = resolveShore(s.mask, s.width, s.height, s.candidates, 2, false);
    expect(picture(s.mask, s.width)).toEqual(['K....ooLL', 'K....ooLL']);
    expect(result.summary.test).toBe(false);
    expect(result.values.length).toBe(2);
  });
});
