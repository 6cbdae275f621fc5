import type { AnalysisResult } from '../../../core/analysis/result.js';

const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });

/** `central (low–high) unit`, in tonnes from 10 t up so the figures stay readable. */
function range(r: { low: number; central: number; high: number }, unit: string): string {
  const tonnes = r.central >= 10_000;
  const f = (value: number) => (tonnes ? decimal.format(value / 1000) : integer.format(value));
  return `${f(r.central)} ${tonnes ? 't' : 'kg'} ${unit}(range ${f(r.low)}–${f(r.high)})`;
}

function percent(part: number, whole: number): string {
  return `${whole ? decimal.format((100 * part) / whole) : 0} %`;
}

/** A readable summary of a result for the terminal. */
export function formatSummary(result: AnalysisResult, written: string[]): string {
  const { grid, pixels, kelp, method } = result;
  const lines = [
    `Scene     ${result.source.uri}: ${grid.width} × ${grid.height} px, ${grid.crs}, ${grid.pixelSizeM} m pixels`,
    `Pixels    water ${percent(pixels.water + pixels.kelp, pixels.total)}, land ${percent(pixels.land, pixels.total)}, cloud/shadow ${percent(
      pixels.cloud + pixels.shadow,
      pixels.total,
    )}, nodata ${percent(pixels.nodata, pixels.total)}`,
    `Method    ${method.name} (${method.description}), ${method.species}, beds ≥ ${integer.format(method.minBedAreaM2)} m²`,
    `Kelp      ${decimal.format(kelp.areaHa)} ha (${kelp.areaMode}; binary ${decimal.format(kelp.binaryAreaM2 / 1e4)} ha, fractional ${decimal.format(
      kelp.fractionalAreaM2 / 1e4,
    )} ha) in ${kelp.beds} bed${kelp.beds === 1 ? '' : 's'}`,
    `Biomass   ${range(result.biomass.wetKg, 'wet ')}; ${range(result.biomass.dryKg, 'dry ')}`,
    `Carbon    ${range(result.carbon.kgC, 'C ')}; ${range(result.carbon.kgCO2e, 'CO2e ')}`,
    ...result.warnings.map((warning, i) => `${i === 0 ? 'Warnings' : '        '}  ${warning.message}`),
  ];
  if (written.length) lines.push(`Wrote     ${written.join(', ')}`);
  return lines.join('\n');
}
