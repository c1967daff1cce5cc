import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '@matchbox/domain';
import { signaturePayload, verifySigned, type ApiKeyInfo } from './signature.ts';

const SECRET = 's'.repeat(64);
const KEY: ApiKeyInfo = { userId: 7, secret: SECRET, permissions: ['TRADE'] };
const lookup = (k: string): ApiKeyInfo | undefined => (k === 'key-1' ? KEY : undefined);
const NOW = 1_764_050_000_000;

/** Signs as Binance's WS API clients do (ccxt signParams): sorted `k=v&…`, hex HMAC-SHA256. */
function signed(params: Record<string, string | number>): Record<string, string | number> {
  const payload = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&');
  return { ...params, signature: createHmac('sha256', SECRET).update(payload).digest('hex') };
}

const order = { apiKey: 'key-1', symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '65000', timestamp: NOW - 10 };

describe('WS API signatures', () => {
  it('signs every parameter but the signature, sorted by name, unencoded', () => {
    expect(signaturePayload({ b: 2, signature: 'x', a: 'q r', c: true })).toBe('a=q r&b=2&c=true');
    expect(signaturePayload({})).toBe('');
  });

  it('accepts a valid signature in lower or upper case and returns the request parameters without the auth fields', () => {
    const p = signed(order);
    const v = verifySigned(p, lookup, NOW);
    expect(v).toEqual({ ok: true, auth: { userId: 7, apiKey: 'key-1', permissions: ['TRADE'] }, params: { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '65000' } });
    expect(verifySigned({ ...p, signature: String(p.signature).toUpperCase() }, lookup, NOW).ok).toBe(true);
  });

  it('rejects a changed parameter, a wrong, short, long or non-hex signature with -1022', () => {
    const p = signed(order);
    const sig = String(p.signature);
    const bad = [
      { ...p, quantity: '0.02' },
      { ...p, signature: sig.slice(0, 63) + (sig[63] === '0' ? '1' : '0') },
      { ...p, signature: sig.slice(0, 62) },
      { ...p, signature: sig + '00' },
      { ...p, signature: 'zz' + sig.slice(2) },
    ];
    for (const b of bad) expect(verifySigned(b, lookup, NOW)).toEqual({ ok: false, error: ERRORS.INVALID_SIGNATURE });
  });

  it('verifies exactly the payload signaturePayload builds, and keeps the parameters in the order sent', () => {
    const params = { timestamp: NOW - 5, zeta: 'z', apiKey: 'key-1', Alpha: 'A', alpha: 1.5, recvWindow: 6000, b: false };
    const sig = createHmac('sha256', SECRET).update(signaturePayload(params)).digest('hex');
    const v = verifySigned({ ...params, signature: sig }, lookup, NOW);
    expect(v.ok).toBe(true);
    if (v.ok) expect(Object.keys(v.params)).toEqual(['zeta', 'Alpha', 'alpha', 'b']);
    if (v.ok) expect(v.params).toEqual({ zeta: 'z', Alpha: 'A', alpha: '1.5', b: 'false' });
    expect(verifySigned({ ...params, alpha: 2, signature: sig }, lookup, NOW)).toEqual({ ok: false, error: ERRORS.INVALID_SIGNATURE });
    expect(verifySigned({ ...params, signature: sig, extra: { nested: 1 } }, lookup, NOW)).toEqual({ ok: false, error: ERRORS.ILLEGAL_CHARS });
  });

  it('rejects an unknown key, a stale or future timestamp and a missing signature with their own errors', () => {
    expect(verifySigned(signed({ ...order, apiKey: 'other' }), lookup, NOW)).toEqual({ ok: false, error: ERRORS.REJECTED_MBX_KEY });
    expect(verifySigned(signed({ ...order, timestamp: NOW - 6000 }), lookup, NOW)).toEqual({ ok: false, error: ERRORS.INVALID_TIMESTAMP });
    expect(verifySigned(signed({ ...order, timestamp: NOW + 1000 }), lookup, NOW)).toEqual({ ok: false, error: ERRORS.INVALID_TIMESTAMP });
    expect(verifySigned(order, lookup, NOW)).toEqual({ ok: false, error: ERRORS.MANDATORY_PARAM_EMPTY_OR_MALFORMED });
  });
});
