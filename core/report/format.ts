/**
 * How figures are written for people, by the web map and the CLI alike (and any CSV they
 * write): one fixed locale, so a figure reads the same on every machine and in every place it
 * appears; units always beside the number. Rounding, in one place:
 *
 * | figure | written as |
 * |---|---|
 * | area | hectares, 2 decimals (`92.58 ha`); square metres as whole numbers (`17,300 m²`) |
 * | biomass, carbon | tonnes: whole above 100 t, 1 decimal from 1 t, 3 below (`6,990 t`, `0.72 t`) |
 * | share of pixels | percent, 1 decimal (`12.3 %`) |
 *
 * Pure: no DOM, no Node (core/).
 */

interface Range {
  low: number;
  central?: number;
  high: number;
}

const KG_PER_TONNE = 1000;
const M2_PER_HA = 10_000;

/** `value` with thousands separators and at most `digits` decimals. */
export function formatNumber(value: number, digits = 2): string {
  return value.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** Hectares, 2 decimals: `92.58 ha`. */
export function formatHa(areaHa: number): string {
  return `${formatNumber(areaHa, 2)} ha`;
}

/** Square metres as hectares, 2 decimals: `92.58 ha` for 925,812 m². */
export function formatHaFromM2(areaM2: number): string {
  return formatHa(areaM2 / M2_PER_HA);
}

/** Square metres: `17,300 m²`. */
export function formatM2(areaM2: number): string {
  return `${formatNumber(areaM2, 0)} m²`;
}

/** Kilograms as tonnes, the number only: whole above 100 t, 1 decimal from 1 t, else 3: `6,990`. */
export function formatTonnes(kg: number): string {
  const tonnes = kg / KG_PER_TONNE;
  const digits = tonnes >= 100 ? 0 : tonnes >= 1 ? 1 : 3;
  return formatNumber(tonnes, digits);
}

/**
 * A range of kilograms in tonnes with its unit: `6,675–7,758 t (central 6,990 t)`.
 *
 * @example
 * ```ts
 * formatRangeTonnes({ low: 133468.8, central: 183586.8, high: 253790 }, 't C'); // '133–254 t C (central 184 t C)'
 * ```
 */
export function formatRangeTonnes(range: Range, unit: string): string {
  const span = `${formatTonnes(range.low)}–${formatTonnes(range.high)} ${unit}`;
  return range.central === undefined ? span : `${span} (central ${formatTonnes(range.central)} ${unit})`;
}

/** `part` of `whole` in percent, 1 decimal: `12.3 %` (`0 %` of nothing). */
export function formatPercent(part: number, whole: number): string {
  return `${whole > 0 ? formatNumber((100 * part) / whole, 1) : '0'} %`;
}

/** A date-time as its UTC day and time: `2023-07-14 18:55 UTC`; the day alone for a date. */
export function formatDateTime(value: string | undefined): string {
  if (!value) return '—';
  const time = Date.parse(value);
  if (!Number.isFinite(time)) return value;
  const iso = new Date(time).toISOString();
  return /T00:00:00(\.000)?Z$/.test(iso) && !/T/.test(value) ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** A threshold or factor value as the API gives it, without float noise: `0.003216`. */
export function formatValue(value: unknown): string {
  if (typeof value === 'number') return String(Number(value.toPrecision(6)));
  if (value && typeof value === 'object' && 'central' in value) {
    const factor = value as Range & { unit?: string };
    return `${formatValue(factor.central)} (${formatValue(factor.low)}–${formatValue(factor.high)})${factor.unit ? ` ${factor.unit}` : ''}`;
  }
  return String(value);
}

/**
 * A figure for a CSV cell: the same rounding as above, without thousands separators or unit (a
 * spreadsheet reads it as a number): `17300` m², `92.58` ha, `12.3` %. Empty for no value.
 *
 * @example
 * ```ts
 * csvNumber(925812.4, 0); // '925812'
 * ```
 */
export function csvNumber(value: number | undefined, digits: number): string {
  if (value === undefined || !Number.isFinite(value)) return '';
  const factor = 10 ** digits;
  return String(Math.round(value * factor) / factor);
}

/**
 * One CSV record (RFC 4180): cells holding a comma, a quote or a line break are quoted, quotes
 * doubled; ends with CRLF.
 *
 * @example
 * ```ts
 * csvLine(['2023-Q3', 'Point Lobos, north', 41000]); // '2023-Q3,"Point Lobos, north",41000\r\n'
 * ```
 */
export function csvLine(cells: ReadonlyArray<string | number | boolean | undefined>): string {
  return `${cells.map((cell) => (cell === undefined ? '' : String(cell))).map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(',')}\r\n`;
}
