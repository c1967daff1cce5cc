import { createHmac } from 'node:crypto';

/** Request parameters as the API sees them: every value is sent as a string (decimals never as floats). */
export type Params = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * `k=v&k=v` in insertion order, values percent-encoded; undefined values are left out. The exact
 * string produced here is what gets signed and sent, so the server hashes the same bytes.
 */
export function encodeParams(params: Params): string {
  let out = '';
  for (const key of Object.keys(params)) {
    const value = params[key];
    if (value === undefined) continue;
    if (out.length > 0) out += '&';
    out += `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`;
  }
  return out;
}

/** Hex HMAC-SHA256 of `payload` (the query string followed by the body, exactly as sent). */
export function signPayload(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** WS API signature: the params sorted by name as `k=v&…` (BINANCE-API.md, user data stream). */
export function signSortedParams(secret: string, params: Readonly<Record<string, string>>): string {
  const payload = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&');
  return signPayload(secret, payload);
}
