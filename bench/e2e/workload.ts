import { MatchboxClient, SymbolRules, encodeParams, signPayload, signSortedParams, type DevAccount } from '@matchbox/client';
import { prng } from '@matchbox/domain';
import type { PlannedRequest } from './open-loop.ts';

/** Reference mid prices (the market is empty at the start; every order is placed around these). */
export const MIDS: Readonly<Record<string, string>> = { BTCUSDT: '65000', ETHUSDT: '3500', SOLUSDT: '150' };
export const RECV_WINDOW_MS = 60_000;
const MAX_RESTING_PER_USER_SYMBOL = 150;

export interface BenchUser extends DevAccount {
  /** clientOrderIds this generator placed as resting orders, per symbol (some since filled). */
  readonly resting: Map<string, string[]>;
}

export interface Market {
  readonly rules: SymbolRules;
  readonly midTicks: number;
}

export async function loadMarkets(client: MatchboxClient): Promise<Market[]> {
  const info = await client.exchangeInfo();
  return info.symbols.filter((s) => MIDS[s.symbol] !== undefined).map((s) => {
    const rules = new SymbolRules(s);
    return { rules, midTicks: rules.ticksOf(MIDS[s.symbol]!) };
  });
}

/** Creates `count` funded users through the dev faucet, `concurrency` at a time. */
export async function createUsers(client: MatchboxClient, count: number, concurrency = 16): Promise<BenchUser[]> {
  const users: BenchUser[] = [];
  // The exchange caps each asset's total at 2^53 units (~90M): keep 400 users well inside it.
  const deposits = { USDT: '100000', BTC: '10', ETH: '100', SOL: '10000' };
  for (let i = 0; i < count; i += concurrency) {
    const batch = await Promise.all(Array.from({ length: Math.min(concurrency, count - i) }, () => client.devAccount(deposits)));
    for (const a of batch) users.push({ ...a, resting: new Map() });
  }
  return users;
}

/** Raw HTTP/1.1 bytes of a signed request (POST: form body; DELETE/GET: query). */
export function signedRequest(host: string, method: 'POST' | 'DELETE', path: string, user: DevAccount, params: Record<string, string | number>, tsMs: number): string {
  const payload = encodeParams({ ...params, recvWindow: RECV_WINDOW_MS, timestamp: tsMs });
  const signed = `${payload}&signature=${signPayload(user.secretKey, payload)}`;
  if (method === 'POST') {
    return `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nX-MBX-APIKEY: ${user.apiKey}\r\nContent-Type: application/x-www-form-urlencoded\r\n`
      + `Content-Length: ${Buffer.byteLength(signed)}\r\n\r\n${signed}`;
  }
  return `${method} ${path}?${signed} HTTP/1.1\r\nHost: ${host}\r\nX-MBX-APIKEY: ${user.apiKey}\r\n\r\n`;
}

/**
 * The open-loop order stream: per request a user (round robin) and a symbol; ~45% limit GTC
 * orders that rest 5–50 ticks behind the mid on their own side, ~15% limit IOC orders 100 ticks
 * through the mid (they cross the others' resting orders and trade), ~40% cancels of one of
 * the user's earlier resting orders by clientOrderId (a 400 -2011 means it had been filled).
 */
export class OrderStream {
  private readonly rand: () => number;

  constructor(private readonly host: string, private readonly users: readonly BenchUser[], private readonly markets: readonly Market[], seed: number, private readonly tag: string) {
    this.rand = prng(seed);
  }

  /** Request i of the stream as raw HTTP bytes. */
  next(i: number): PlannedRequest {
    const op = this.nextOp(i);
    const path = '/api/v3/order';
    return { kind: op.kind, bytes: signedRequest(this.host, op.kind === 'cancel' ? 'DELETE' : 'POST', path, op.user, op.params, Date.now()) };
  }

  /** Request i as a WS API frame (`order.place` / `order.cancel`), signed over the sorted params. */
  nextWs(i: number, id: string): { kind: string; frame: string } {
    const op = this.nextOp(i);
    const params: Record<string, string> = { apiKey: op.user.apiKey, recvWindow: String(RECV_WINDOW_MS), timestamp: String(Date.now()) };
    for (const [k, v] of Object.entries(op.params)) params[k] = String(v);
    params.signature = signSortedParams(op.user.secretKey, params);
    return { kind: op.kind, frame: JSON.stringify({ id, method: op.kind === 'cancel' ? 'order.cancel' : 'order.place', params }) };
  }

  private nextOp(i: number): { kind: 'rest' | 'cross' | 'cancel'; user: BenchUser; params: Record<string, string | number> } {
    const user = this.users[i % this.users.length]!;
    const m = this.markets[Math.floor(i / this.users.length) % this.markets.length]!;
    const sym = m.rules.symbol;
    let list = user.resting.get(sym);
    if (list === undefined) user.resting.set(sym, (list = []));
    const r = this.rand();
    if ((r < 0.4 && list.length > 0) || list.length >= MAX_RESTING_PER_USER_SYMBOL) {
      const idx = Math.floor(this.rand() * list.length);
      const id = list[idx]!;
      list[idx] = list[list.length - 1]!;
      list.pop();
      return { kind: 'cancel', user, params: { symbol: sym, origClientOrderId: id } };
    }
    const side = this.rand() < 0.5 ? 'BUY' : 'SELL';
    const dir = side === 'BUY' ? -1 : 1;
    const cross = r >= 0.4 && r < 0.55;
    const ticks = cross ? m.midTicks - dir * 100 : m.midTicks + dir * (5 + Math.floor(this.rand() * 46));
    const lots = m.rules.minLotsAt(ticks) * (1 + Math.floor(this.rand() * 3));
    const id = `${this.tag}${i}`;
    if (!cross) list.push(id);
    return {
      kind: cross ? 'cross' : 'rest', user,
      params: {
        symbol: sym, side, type: 'LIMIT', timeInForce: cross ? 'IOC' : 'GTC', price: m.rules.priceOf(ticks), quantity: m.rules.qtyOf(lots),
        newClientOrderId: id, newOrderRespType: 'ACK',
      },
    };
  }
}

/**
 * Pre-signed requests for wrk (recvWindow 60 s): pairs of limit GTC orders at the mid from two
 * different users, a sell then a buy of the same size, so most pairs trade and the resting book
 * stays small. No clientOrderId: a replayed request is a new order, not an idempotent retry.
 * Each time the pairs have gone once through the users, sellers and buyers swap, so no user
 * runs out of either asset however long the stream is replayed.
 */
export function presignedPairs(host: string, users: readonly BenchUser[], markets: readonly Market[], count: number): string[] {
  const out: string[] = [];
  const now = Date.now();
  const specs = pairSpecs(markets);
  for (let j = 0; out.length < count; j++) {
    const p = pairAt(users, specs, j);
    const base = { symbol: p.spec.symbol, type: 'LIMIT', timeInForce: 'GTC', price: p.spec.price, quantity: p.quantity, newOrderRespType: 'ACK' };
    out.push(signedRequest(host, 'POST', '/api/v3/order', p.seller, { ...base, side: 'SELL' }, now));
    out.push(signedRequest(host, 'POST', '/api/v3/order', p.buyer, { ...base, side: 'BUY' }, now));
  }
  return out;
}

/** What a crossing pair needs of a market, as plain data (it crosses to a worker process). */
export interface PairSpec {
  readonly symbol: string;
  /** The mid price. */
  readonly price: string;
  /** 1, 2 and 3 times the smallest quantity allowed at the mid. */
  readonly quantities: readonly string[];
}

export interface Credentials {
  readonly apiKey: string;
  readonly secretKey: string;
}

export function pairSpecs(markets: readonly Market[]): PairSpec[] {
  return markets.map((m) => ({
    symbol: m.rules.symbol, price: m.rules.priceOf(m.midTicks),
    quantities: [1, 2, 3].map((k) => m.rules.qtyOf(m.rules.minLotsAt(m.midTicks) * k)),
  }));
}

/** Pair j of the crossing stream: market j mod markets, users 2j and 2j+1 (sides swapped on odd rounds through the users). */
function pairAt<U extends Credentials>(users: readonly U[], specs: readonly PairSpec[], j: number): { spec: PairSpec; seller: U; buyer: U; quantity: string } {
  const spec = specs[j % specs.length]!;
  const a = users[(2 * j) % users.length]!;
  const b = users[(2 * j + 1) % users.length]!;
  const swap = Math.floor((2 * j) / users.length) % 2 === 1;
  return { spec, seller: swap ? b : a, buyer: swap ? a : b, quantity: spec.quantities[j % spec.quantities.length]! };
}

/**
 * Request i of the pre-signed crossing stream as a WS API `order.place` (JSON text, id = i):
 * even i the pair's sell, odd i its buy, a unique newClientOrderId `${tag}${i}`, signed over
 * the sorted params like `OrderStream.nextWs`, timestamp `tsMs` (valid for RECV_WINDOW_MS).
 */
export function presignedWsOrder(users: readonly Credentials[], specs: readonly PairSpec[], i: number, tag: string, tsMs: number): string {
  const p = pairAt(users, specs, i >> 1);
  const user = i % 2 === 0 ? p.seller : p.buyer;
  const params: Record<string, string> = {
    apiKey: user.apiKey, symbol: p.spec.symbol, side: i % 2 === 0 ? 'SELL' : 'BUY', type: 'LIMIT', timeInForce: 'GTC',
    quantity: p.quantity, price: p.spec.price, newClientOrderId: `${tag}${i}`, newOrderRespType: 'ACK',
    recvWindow: String(RECV_WINDOW_MS), timestamp: String(tsMs),
  };
  params.signature = signSortedParams(user.secretKey, params);
  return `{"id":"${i}","method":"order.place","params":${JSON.stringify(params)}}`;
}
