/**
 * How figures are written on the page: one fixed locale (so what a user reads, and what the
 * browser tests compare, never depends on the machine), units always beside the number.
 */

interface Range {
  low: number;
  central?: number;
  high: number;
}

const KG_PER_TONNE = 1000;

/** `value` with thousands separators and at most `digits` decimals. */
export function formatNumber(value: number, digits = 2): string {
  return value.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** Hectares as the API rounds them: `92.58 ha`. */
export function formatHa(areaHa: number): string {
  return `${formatNumber(areaHa, 2)} ha`;
}

/** Square metres: `17,300 m²`. */
export function formatM2(areaM2: number): string {
  return `${formatNumber(areaM2, 0)} m²`;
}

/** Kilograms as tonnes, 3 significant figures at most above 100 t, else one decimal: `6,990 t`. */
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
