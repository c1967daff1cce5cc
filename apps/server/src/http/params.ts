import { ASSET_SCALE, parseUnits } from '@matchbox/domain';
import { ApiError, empty, illegal, missing, tooPrecise } from './api-error.ts';

export const MAX_PARAMS = 64;
export const MAX_QUERY_BYTES = 8192;
export const INT_RE = /^[0-9]{1,16}$/;
const DECIMAL_LEGAL = '^([0-9]{1,20})(\\.[0-9]{1,20})?$';
const INT_LEGAL = '^[0-9]{1,20}$';

/**
 * Request parameters of a Binance endpoint: query string and form body, parsed by hand so that a
 * duplicate is an error (-1101) instead of an array, and so every parameter must be read by the
 * handler (`finish()` → -1104 for the rest). Names are case-sensitive, like Binance's.
 */
export class Params {
  private readonly values = new Map<string, string>();
  private readonly read = new Set<string>();

  static parse(query: string, body: string): Params {
    const p = new Params();
    if (query.length > MAX_QUERY_BYTES) throw new ApiError('REQUEST_TOO_LARGE', 'Query string is too large.', undefined, 414);
    p.addAll(query);
    p.addAll(body);
    return p;
  }

  /**
   * Already-decoded parameters (the WS API's); `implicit` counts parameters the caller consumed
   * itself, so that the -1101 limit is the one the same request would meet over REST.
   */
  static of(values: Readonly<Record<string, string>>, implicit = 0): Params {
    const p = new Params();
    for (const name of Object.keys(values)) {
      if (p.values.size + implicit >= MAX_PARAMS) throw new ApiError('TOO_MANY_PARAMETERS', 'Too many parameters.');
      p.values.set(name, values[name]!);
    }
    return p;
  }

  private addAll(text: string): void {
    if (text === '') return;
    for (const part of text.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const name = decode(eq < 0 ? part : part.slice(0, eq));
      const value = eq < 0 ? '' : decode(part.slice(eq + 1));
      if (this.values.has(name)) throw new ApiError('TOO_MANY_PARAMETERS');
      if (this.values.size >= MAX_PARAMS) throw new ApiError('TOO_MANY_PARAMETERS', 'Too many parameters.');
      this.values.set(name, value);
    }
  }

  get size(): number { return this.values.size; }

  has(name: string): boolean { return this.values.has(name); }

  /** The raw value, marking it read; '' is reported as -1105 (empty). */
  optional(name: string): string | undefined {
    const v = this.values.get(name);
    if (v === undefined) return undefined;
    this.read.add(name);
    if (v === '') throw empty(name);
    return v;
  }

  required(name: string): string {
    const v = this.values.get(name);
    this.read.add(name);
    if (v === undefined || v === '') throw missing(name);
    return v;
  }

  optionalInt(name: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const v = this.optional(name);
    return v === undefined ? undefined : toInt(name, v, min, max);
  }

  requiredInt(name: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    return toInt(name, this.required(name), min, max);
  }

  /** `error` may be a factory, so that the valid case (the hot path) builds no error object. */
  oneOf<T extends string>(name: string, allowed: readonly T[], error: ApiError | (() => ApiError)): T | undefined {
    const v = this.optional(name);
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) throw typeof error === 'function' ? error() : error;
    return v as T;
  }

  /** Every sent parameter must have been read (Binance -1104). */
  finish(): void {
    if (this.read.size < this.values.size || [...this.values.keys()].some((k) => !this.read.has(k))) {
      const readCount = [...this.values.keys()].filter((k) => this.read.has(k)).length;
      throw new ApiError('UNREAD_PARAMETERS', `Not all sent parameters were read; read '${readCount}' parameter(s) but was sent '${this.values.size}'.`);
    }
  }
}

/** Percent-decoding ('+' is a space); plain text, by far the common case, is returned as is. */
function decode(s: string): string {
  if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw new ApiError('ILLEGAL_CHARS');
  }
}

function toInt(name: string, v: string, min: number, max: number): number {
  if (!INT_RE.test(v)) throw illegal(name, INT_LEGAL);
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new ApiError('INVALID_PARAMETER', `Invalid value for parameter '${name}'.`);
  return n;
}

/**
 * A decimal parameter in units of 10^-8 (the asset scale) through the domain codec; `onRange`
 * is the error for zero or out-of-range values (a filter failure in Binance's terms).
 */
export function decimalUnits(name: string, text: string, onRange: ApiError | (() => ApiError), allowZero = false): number {
  const r = parseUnits(text, ASSET_SCALE, { allowZero });
  if (r.ok) return r.units;
  if (r.error === 'TOO_PRECISE') throw tooPrecise();
  if (r.error === 'OUT_OF_RANGE') throw typeof onRange === 'function' ? onRange() : onRange;
  if (r.error === 'EMPTY') throw empty(name);
  throw illegal(name, DECIMAL_LEGAL);
}
