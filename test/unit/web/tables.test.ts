import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SPECIES } from '../../../core/analysis/factors.js';
import { METHOD_NAMES } from '../../../core/analysis/methods/registry.js';
import { parseAnalysisOptions } from '../../../core/analysis/options.js';
import { UPLOAD_ANALYSIS_OPTIONS } from '../../../core/usecases/object-created.js';

const html = readFileSync(new URL('../../../web/index.html', import.meta.url), 'utf8');
const optionsOf = (name: string) => [...new RegExp(`<select name="${name}">([\\s\\S]*?)</select>`).exec(html)![1].matchAll(/value="([^"]+)"/g)].map((m) => m[1]);

/** The page keeps its own copies of a few core tables (importing them would bundle zod and more): they must agree (the layers' legend: legend.test.ts). */
describe('the page’s tables agree with the core', () => {
  it('offers every method and species the API accepts, defaults first-selected as the API defaults', () => {
    expect(optionsOf('method')).toEqual([...METHOD_NAMES]);
    expect(optionsOf('species')).toEqual([...SPECIES]);
    expect(html).toMatch(/<select name="method">\s*<option value="" selected>/); // the sensor's default: not sent
    expect(html).toMatch(/<option value="macrocystis" selected>/);
  });

  it('asks by default for what an upload is analysed with, so an image the page uploads gets one analysis, not two', () => {
    const layers = [...html.matchAll(/<input type="checkbox" name="layers" value="([^"]+)" checked>/g)].map((m) => m[1]);
    const minBed = /name="minBedAreaM2"[^>]*value="(\d+)"/.exec(html)?.[1];
    const selected = (name: string) => new RegExp(`<select name="${name}">[\\s\\S]*?<option value="([^"]+)" selected>`).exec(html)?.[1];
    expect(/<select name="method">\s*<option value="" selected>/.test(html)).toBe(true); // method not sent: the sensor's default
    expect(/<select name="areaMode">\s*<option value="" selected>/.test(html)).toBe(true); // area mode not sent either
    const page = { species: selected('species'), minBedAreaM2: Number(minBed), layers };
    expect(parseAnalysisOptions(page)).toEqual(parseAnalysisOptions(UPLOAD_ANALYSIS_OPTIONS));
    expect(html).toMatch(/name="boaOffset"[^>]*placeholder/); // empty by default: not sent
  });

  it('has no inline script or style for the CSP to refuse', () => {
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|<style|\son[a-z]+=/i);
  });
});
