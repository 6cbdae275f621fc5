import { AREA_GUIDE, AREA_MODE_LABELS, METHOD_LABELS, SPECIES_LABELS, WARNING_TITLES, labelOf } from '../../../core/report/labels.js';
import type { AnalysisResult } from '../../../core/analysis/result.js';
import { formatHaFromM2, formatM2, formatNumber, formatPercent, formatRangeTonnes } from '../../../core/report/format.js';
import { pixelShares } from '../../../core/report/pixels.js';
import { inPlainWords } from '../../../core/report/plain-words.js';

/**
 * A readable summary of a result for the terminal, in the words and with the rounding the web map
 * uses (core/report/): areas in ha to 2 decimals, biomass and carbon in tonnes, shares in
 * percent to 1 decimal; option names in messages as this CLI's flags.
 */
export function formatSummary(result: AnalysisResult, written: string[]): string {
  const { grid, pixels, kelp, method } = result;
  const shares = pixelShares(pixels as unknown as Record<string, number>)
    .map((share) => `${share.label} ${formatPercent(share.pixels, pixels.total)}`)
    .join(', ');
  const binaryUsed = kelp.areaMode === 'binary';
  const lines = [
    `Scene     ${result.source.uri}: ${formatNumber(grid.width, 0)} × ${formatNumber(grid.height, 0)} px, ${grid.crs}, ${grid.pixelSizeM} m pixels${result.source.sensorLabel ? `, ${result.source.sensorLabel}` : ''}${result.source.acquiredAt ? `, acquired ${result.source.acquiredAt}` : ''}`,
    `Pixels    ${shares}`,
    `Method    ${labelOf(METHOD_LABELS, method.name)}, ${labelOf(SPECIES_LABELS, method.species)}, beds ≥ ${formatM2(method.minBedAreaM2)}`,
    `Kelp      binary ${formatHaFromM2(kelp.binaryAreaM2)}${rangeHa(kelp.binaryAreaRangeM2)}${binaryUsed ? ' (used)' : ''}, fractional ${formatHaFromM2(kelp.fractionalAreaM2)}${rangeHa(kelp.fractionalAreaRangeM2)}${binaryUsed ? '' : ' (used)'}; ${kelp.beds} bed${kelp.beds === 1 ? '' : 's'}`,
    `          ${AREA_GUIDE} Biomass and carbon here use the ${labelOf(AREA_MODE_LABELS, kelp.areaMode)} area (--area-mode).`,
    `Biomass   wet ${formatRangeTonnes(result.biomass.wetKg, 't')}; dry ${formatRangeTonnes(result.biomass.dryKg, 't')}`,
    `Carbon    ${formatRangeTonnes(result.carbon.kgC, 't C')}; ${formatRangeTonnes(result.carbon.kgCO2e, 't CO₂e')}`,
    ...result.warnings.map((warning, i) => `${i === 0 ? 'Warnings' : '        '}  ${WARNING_TITLES[warning.code] ?? 'Note'}: ${inPlainWords(warning.message, 'cli')}`),
  ];
  if (written.length) lines.push(`Wrote     ${written.join(', ')}`);
  return lines.join('\n');
}

/** ` (1.20–1.35 ha)` for an area range, or nothing for results written before ranges. */
function rangeHa(range: { low: number; high: number } | undefined): string {
  return range ? ` (${formatHaFromM2(range.low).replace(' ha', '')}–${formatHaFromM2(range.high)})` : '';
}

