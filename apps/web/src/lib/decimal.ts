/**
 * Exact decimal helpers for order entry. Amounts travel as decimal strings; anything the UI sends
 * is computed in bigint units of 10^-8 (Matchbox's asset scale) and floored to the market's step,
 * so a "100 %" order never asks for more than the available balance.
 */
export const SCALE = 8;
const ONE = 10n ** BigInt(SCALE);

const DECIMAL = /^\d+(\.\d+)?$/;

export function isDecimal(text: string): boolean {
  return DECIMAL.test(text.trim());
}

/** Parses a non-negative decimal string into 10^-8 units (extra digits are truncated). */
export function toUnits(text: string): bigint {
  const t = text.trim();
  if (!isDecimal(t)) return 0n;
  const [int = '0', frac = ''] = t.split('.');
  return BigInt(int) * ONE + BigInt((frac + '00000000').slice(0, SCALE));
}

/** Formats 10^-8 units with exactly `decimals` places (truncating). */
export function fromUnits(units: bigint, decimals = SCALE): string {
  const neg = units < 0n;
  const abs = neg ? -units : units;
  const int = abs / ONE;
  const frac = (abs % ONE).toString().padStart(SCALE, '0').slice(0, decimals);
  return `${neg ? '-' : ''}${int}${decimals > 0 ? '.' + frac : ''}`;
}

/** Number of decimals a step like "0.001" allows. */
export function decimalsOf(step: string): number {
  const dot = step.indexOf('.');
  if (dot < 0) return 0;
  const trimmed = step.replace(/0+$/, '');
  return Math.max(0, trimmed.length - dot - 1);
}

export function floorToStep(units: bigint, step: string): bigint {
  const s = toUnits(step);
  return s > 0n ? (units / s) * s : units;
}

/** a · b for two unit values. */
export function mulUnits(a: bigint, b: bigint): bigint {
  return (a * b) / ONE;
}

/** a / b for two unit values (truncating). */
export function divUnits(a: bigint, b: bigint): bigint {
  return b === 0n ? 0n : (a * ONE) / b;
}

/** Percent (0..100) of a unit value. */
export function pctUnits(a: bigint, pct: number): bigint {
  return (a * BigInt(Math.round(pct))) / 100n;
}

/** Floors a decimal string to a step and formats it with the step's decimals. */
export function roundToStep(text: string, step: string): string {
  return fromUnits(floorToStep(toUnits(text), step), decimalsOf(step));
}

const SIGNED_DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * Formats a decimal string exactly, as a string: the integer part grouped in thousands, exactly
 * `decimals` places, extra places truncated (a balance is never shown larger than it is), no
 * "-0.00". Undefined when `text` is not a plain decimal.
 */
export function formatDecimal(text: string, decimals: number): string | undefined {
  const m = SIGNED_DECIMAL.exec(text.trim());
  if (!m) return undefined;
  const [, sign = '', digits = '', places = ''] = m;
  if (digits === '' && places === '') return undefined;
  const int = digits.replace(/^0+(?=\d)/, '') || '0';
  const frac = places.padEnd(decimals, '0').slice(0, decimals);
  const negative = sign === '-' && /[1-9]/.test(int + frac);
  return `${negative ? '-' : ''}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${decimals > 0 ? `.${frac}` : ''}`;
}

/**
 * Display formatting (not for arithmetic): fixed decimals with thousands separators. Decimal
 * strings (what the API sends) are formatted exactly by `formatDecimal`; numbers (values the UI
 * computes for display, e.g. the book's cumulative sizes) are rounded by `toLocaleString`.
 */
export function fmt(value: string | number | undefined, decimals: number): string {
  if (value === undefined || value === '') return '—';
  if (typeof value === 'string') {
    const exact = formatDecimal(value, decimals);
    if (exact !== undefined) return exact;
  }
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return '—';
  return n.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Sum of two non-negative decimal strings, exact in 10^-8 units (e.g. free + locked). */
export function addDecimals(a: string, b: string): string {
  return fromUnits(toUnits(a) + toUnits(b));
}

/** Compact display for volumes: 1.23K, 4.5M. */
export function compact(value: string | number): string {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return '—';
  return n.toLocaleString('en-US', { notation: 'compact', maximumFractionDigits: 2 });
}

/** Strips trailing zeros of a decimal string for display: "1.50000000" → "1.5". */
export function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
