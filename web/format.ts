/**
 * How figures are written on the page: the same functions, and so the same rounding, as the CLI
 * (core/report/format.ts).
 */
export * from '../core/report/format.js';
