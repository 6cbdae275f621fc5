import { describe, expect, it } from 'vitest';
import { mergeRanges, splitMerged } from '../../../core/net/range-merge.js';

describe('mergeRanges', () => {
  it('merges adjacent ranges into one request', () => {
    expect(mergeRanges([{ offset: 0, length: 10 }, { offset: 10, length: 5 }])).toEqual([{ offset: 0, length: 15, parts: [0, 1] }]);
  });

  it('keeps ranges apart when the gap is over the limit', () => {
    const merged = mergeRanges([{ offset: 0, length: 10 }, { offset: 20, length: 5 }], { maxGapBytes: 9 });
    expect(merged).toHaveLength(2);
  });

  it('bridges small gaps (COG tile leaders and trailers)', () => {
    expect(mergeRanges([{ offset: 0, length: 10 }, { offset: 18, length: 5 }], { maxGapBytes: 8 })).toEqual([{ offset: 0, length: 23, parts: [0, 1] }]);
  });

  it('sorts, handles overlaps and duplicates, and drops empty ranges', () => {
    const merged = mergeRanges([{ offset: 50, length: 10 }, { offset: 0, length: 0 }, { offset: 40, length: 15 }, { offset: 40, length: 15 }]);
    expect(merged).toEqual([{ offset: 40, length: 20, parts: [2, 3, 0] }]);
  });

  it('never makes a request longer than the limit', () => {
    const ranges = Array.from({ length: 10 }, (_, i) => ({ offset: i * 100, length: 100 }));
    const merged = mergeRanges(ranges, { maxLengthBytes: 300 });
    expect(merged.map((m) => m.length)).toEqual([300, 300, 300, 100]);
  });
});

describe('splitMerged', () => {
  it('gives each input range its own bytes, shorter at the end of the file', () => {
    const ranges = [{ offset: 2, length: 3 }, { offset: 0, length: 2 }, { offset: 8, length: 4 }];
    const merged = mergeRanges(ranges);
    const file = Uint8Array.from({ length: 10 }, (_, i) => i);
    const parts = splitMerged(ranges, merged, merged.map((m) => file.subarray(m.offset, m.offset + m.length)));
    expect(parts.map((p) => [...p])).toEqual([[2, 3, 4], [0, 1], [8, 9]]);
  });
});
