import { createHmac, timingSafeEqual } from 'node:crypto';
import { ERRORS, type ErrorSpec } from '@matchbox/domain';

/** What the gateway knows about an API key: owner, plain HMAC secret, permissions. */
export interface ApiKeyInfo {
  readonly userId: number;
  readonly secret: string;
  readonly permissions: readonly string[];
}

export type ApiKeyLookup = (apiKey: string) => ApiKeyInfo | undefined;

export interface WsApiAuth {
  readonly userId: number;
  readonly apiKey: string;
  readonly permissions: readonly string[];
}

export type Verified = { readonly ok: true; readonly auth: WsApiAuth; readonly params: Record<string, string> } | { readonly ok: false; readonly error: ErrorSpec };

const DEFAULT_RECV_WINDOW_MS = 5000;
const MAX_RECV_WINDOW_MS = 60_000;
/** Parameters of the request envelope rather than of the method; `returnRateLimits` is Binance's, sent by ccxt on every call. */
const AUTH_FIELDS = new Set(['apiKey', 'signature', 'timestamp', 'recvWindow', 'returnRateLimits']);

/**
 * The payload Binance's WS API signs: every parameter but `signature`, sorted by name, as
 * `k=v&…` without URL encoding (what ccxt's `signParams` sends).
 */
export function signaturePayload(params: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(params).sort();
  let out = '';
  for (const k of keys) {
    if (k === 'signature') continue;
    out += `${out === '' ? '' : '&'}${k}=${String(params[k])}`;
  }
  return out;
}

export function sign(secret: string, params: Readonly<Record<string, unknown>>): string {
  return createHmac('sha256', secret).update(signaturePayload(params)).digest('hex');
}

/**
 * Checks a signed WS API request: key, recvWindow, timestamp (`timestamp < now + 1000` and
 * `now − timestamp ≤ recvWindow`), then the HMAC in constant time. Returns the caller and the
 * request's own parameters as strings (auth fields removed), or the Binance error to answer.
 * The signature's form is checked by decoding it (64 hex digits decode to 32 bytes).
 */
export function verifySigned(raw: unknown, lookup: ApiKeyLookup, nowMs: number): Verified {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, error: ERRORS.MANDATORY_PARAM_EMPTY_OR_MALFORMED };
  const params = raw as Record<string, unknown>;
  const keys = Object.keys(params);
  // The request's own parameters in the order sent (the first unknown one is the one reported).
  const own: Record<string, string> = {};
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = params[k];
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return { ok: false, error: ERRORS.ILLEGAL_CHARS };
    if (!AUTH_FIELDS.has(k)) own[k] = String(v);
  }
  const { apiKey, signature, timestamp, returnRateLimits } = params;
  // Accepted and signed like any parameter; answers carry no `rateLimits` either way.
  if (returnRateLimits !== undefined && returnRateLimits !== true && returnRateLimits !== false && returnRateLimits !== 'true' && returnRateLimits !== 'false') {
    return { ok: false, error: ERRORS.ILLEGAL_CHARS };
  }
  if (typeof apiKey !== 'string' || apiKey === '' || typeof signature !== 'string' || signature === '') {
    return { ok: false, error: ERRORS.MANDATORY_PARAM_EMPTY_OR_MALFORMED };
  }
  const tsMs = Number(timestamp);
  if (!Number.isSafeInteger(tsMs)) return { ok: false, error: ERRORS.MANDATORY_PARAM_EMPTY_OR_MALFORMED };
  const recvWindowMs = params.recvWindow === undefined ? DEFAULT_RECV_WINDOW_MS : Number(params.recvWindow);
  if (!Number.isFinite(recvWindowMs) || recvWindowMs <= 0 || recvWindowMs > MAX_RECV_WINDOW_MS) return { ok: false, error: ERRORS.BAD_RECV_WINDOW };
  if (!(tsMs < nowMs + 1000 && nowMs - tsMs <= recvWindowMs)) return { ok: false, error: ERRORS.INVALID_TIMESTAMP };
  const key = lookup(apiKey);
  if (key === undefined) return { ok: false, error: ERRORS.REJECTED_MBX_KEY };
  // 64 hex digits (either case): hex decoding stops at the first non-hex pair, so anything else is short.
  const given = signature.length === 64 ? Buffer.from(signature, 'hex') : null;
  if (given === null || given.length !== 32) return { ok: false, error: ERRORS.INVALID_SIGNATURE };
  const expected = createHmac('sha256', key.secret).update(signaturePayload(params)).digest();
  if (!timingSafeEqual(given, expected)) return { ok: false, error: ERRORS.INVALID_SIGNATURE };
  return { ok: true, auth: { userId: key.userId, apiKey, permissions: key.permissions }, params: own };
}
