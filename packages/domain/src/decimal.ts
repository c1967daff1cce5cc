/**
 * Decimal string ⇄ integer units. Money never touches floating point: a decimal string from a
 * client is parsed into an integer count of the smallest unit (10^-scale), and integers are
 * formatted back into fixed-point strings. Integers are JS numbers kept within
 * Number.MAX_SAFE_INTEGER; anything larger is rejected rather than rounded.
 */

export const MAX_UNITS = Number.MAX_SAFE_INTEGER;

export type DecimalError = 'EMPTY' | 'ILLEGAL' | 'NEGATIVE' | 'TOO_PRECISE' | 'OUT_OF_RANGE';

export interface ParseOptions {
  /** Allow a leading '-' (never for prices or quantities). */
  allowNegative?: boolean;
  /** Allow zero (quantities and prices must be positive; a stop price of 0 means "none"). */
  allowZero?: boolean;
}

/** Plain decimal: optional sign, digits, optional fraction. No exponent, no spaces, no '+'. */
const DECIMAL_RE = /^(-?)(\d{1,20})(?:\.(\d{1,20}))?$/;

export type ParseResult = { ok: true; units: number } | { ok: false; error: DecimalError };

/**
 * Parses `text` into integer units at `scale` decimal places. Trailing zeros beyond the scale are
 * accepted ("1.500000000" at scale 8); significant digits beyond it are TOO_PRECISE, like
 * Binance's -1111.
 */
export function parseUnits(text: string, scale: number, options: ParseOptions = {}): ParseResult {
  if (typeof text !== 'string' || text.length === 0) return { ok: false, error: 'EMPTY' };
  const match = DECIMAL_RE.exec(text);
  if (match === null) return { ok: false, error: 'ILLEGAL' };
  const negative = match[1] === '-';
  const whole = match[2]!;
  let fraction = match[3] ?? '';
  if (negative && !options.allowNegative) return { ok: false, error: 'NEGATIVE' };
  if (fraction.length > scale) {
    const excess = fraction.slice(scale);
    if (!/^0*$/.test(excess)) return { ok: false, error: 'TOO_PRECISE' };
    fraction = fraction.slice(0, scale);
  }
  const digits = (whole + fraction.padEnd(scale, '0')).replace(/^0+(?=\d)/, '');
  // 16 digits can exceed MAX_SAFE_INTEGER; compare as BigInt only at this cold edge.
  if (digits.length > 16 || (digits.length === 16 && BigInt(digits) > BigInt(MAX_UNITS))) {
    return { ok: false, error: 'OUT_OF_RANGE' };
  }
  const magnitude = Number(digits);
  if (magnitude === 0 && !options.allowZero) return { ok: false, error: 'OUT_OF_RANGE' };
  return { ok: true, units: negative && magnitude !== 0 ? -magnitude : magnitude };
}

/** Formats integer units as a fixed-point string with exactly `scale` decimals ("0.00100000"). */
export function formatUnits(units: number, scale: number): string {
  if (!Number.isSafeInteger(units)) throw new RangeError(`not a safe integer: ${units}`);
  const negative = units < 0;
  const digits = String(negative ? -units : units);
  if (scale === 0) return negative ? `-${digits}` : digits;
  const padded = digits.padStart(scale + 1, '0');
  const cut = padded.length - scale;
  return `${negative ? '-' : ''}${padded.slice(0, cut)}.${padded.slice(cut)}`;
}

/** Formats units without trailing zeros ("0.001"): used where a compact string reads better. */
export function formatUnitsTrimmed(units: number, scale: number): string {
  const fixed = formatUnits(units, scale);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** True when a·b is certainly a safe integer (both non-negative safe integers). */
export function productIsSafe(a: number, b: number): boolean {
  return a === 0 || b === 0 || a <= MAX_UNITS / b;
}

/**
 * ⌊units · ppm / 1e6⌋ without overflow for any safe `units` and ppm ≤ 1e6: split units into
 * millions and a remainder so no intermediate product exceeds 2^53.
 */
export function mulPpmFloor(units: number, ppm: number): number {
  const millions = Math.floor(units / 1_000_000);
  const rest = units - millions * 1_000_000;
  return millions * ppm + Math.floor((rest * ppm) / 1_000_000);
}
