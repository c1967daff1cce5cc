/**
 * A small signed REST client for the browser tests: seeds a market maker through the real
 * server's dev faucet and /api/v3 (HMAC-SHA256 over the exact query string, as any client).
 */
import { createHmac } from 'node:crypto';

export interface Creds {
  userId: number;
  apiKey: string;
  secretKey: string;
}

export class ExchangeClient {
  constructor(readonly base: string) {}

  async json<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const res = await fetch(this.base + path, {
      method,
      headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }

  faucet(deposits: Record<string, string>): Promise<Creds> {
    return this.json<Creds>('POST', '/api/v1/dev/accounts', { deposits });
  }

  signed<T>(c: Creds, method: 'GET' | 'POST' | 'DELETE', path: string, params: Record<string, string>): Promise<T> {
    const q = new URLSearchParams({ ...params, timestamp: String(Date.now()), recvWindow: '10000' }).toString();
    const sig = createHmac('sha256', c.secretKey).update(q).digest('hex');
    return this.json<T>(method, `/api/v3/${path}?${q}&signature=${sig}`, undefined, { 'X-MBX-APIKEY': c.apiKey });
  }

  order(c: Creds, p: { symbol: string; side: 'BUY' | 'SELL'; type?: string; price?: string; quantity: string }): Promise<{ orderId: number; status: string }> {
    const params: Record<string, string> = { symbol: p.symbol, side: p.side, type: p.type ?? 'LIMIT', quantity: p.quantity };
    if (p.price) Object.assign(params, { price: p.price, timeInForce: 'GTC' });
    return this.signed(c, 'POST', 'order', params);
  }
}

/**
 * A deterministic two-sided book around `mid` plus a few trades, so the chart, the tape and the
 * book have something to show. Returns the maker's credentials.
 */
export const TRADE_PATH = [-30, -10, 15, 5, -5, 20, 10, 35, 25, 45, 30, 50, 40, 25, 35, 10, 20, -5, 5, 10];

export async function seedMarket(x: ExchangeClient, symbol: string, mid: number, base: string, qtyUnit: string, spacingMs = 0): Promise<Creds> {
  const mm = await x.faucet({ USDT: '10000000', [base]: '10000' });
  const taker = await x.faucet({ USDT: '10000000', [base]: '10000' });
  // history: crossing trades at fixed prices, `spacingMs` apart so 1 s candles have a shape
  for (const [i, dp] of TRADE_PATH.entries()) {
    if (i > 0 && spacingMs > 0) await new Promise((r) => setTimeout(r, spacingMs));
    const price = (mid + dp).toFixed(2);
    const quantity = (Number(qtyUnit) * (1 + (i % 3))).toFixed(4);
    await x.order(mm, { symbol, side: i % 2 ? 'BUY' : 'SELL', price, quantity });
    await x.order(taker, { symbol, side: i % 2 ? 'SELL' : 'BUY', price, quantity });
  }
  // resting book: 12 levels each side
  for (let i = 1; i <= 12; i++) {
    const q = (Number(qtyUnit) * (1 + (i % 4))).toFixed(4);
    await x.order(mm, { symbol, side: 'BUY', price: (mid - i * 2.5).toFixed(2), quantity: q });
    await x.order(mm, { symbol, side: 'SELL', price: (mid + i * 2.5).toFixed(2), quantity: q });
  }
  return mm;
}
