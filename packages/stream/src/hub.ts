import type { BalanceEvent, DepthEvent, EngineEvent, MarketConfig, OrderEvent, TradeEvent } from '@matchbox/domain';
import { StreamMessage } from './frame.ts';
import { KLINE_INTERVALS } from './intervals.ts';
import { MarketFormat } from './market-format.ts';
import * as P from './payloads.ts';
import { parseStreamName, type StreamSpec } from './stream-name.ts';
import { SymbolState } from './symbol-state.ts';
import * as U from './user-payloads.ts';

/** A connection that receives market-stream messages. `deliver` must not throw and must not block. */
export interface StreamSubscriber {
  deliver(msg: StreamMessage): void;
}

/** A connection subscribed to one user's data stream; `json` is the event object. */
export interface UserSubscriber {
  readonly apiKey: string;
  deliverUser(json: string): void;
  /** The API key it authenticated with was revoked: the subscription ends. */
  revoked(): void;
}

/** Depth in ticks/lots with its book update id: `engine.depth(symbol, limit)`. */
export interface DepthSnapshot {
  readonly lastUpdateId: number;
  readonly bids: readonly (readonly [number, number])[];
  readonly asks: readonly (readonly [number, number])[];
}

export interface StreamLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface MarketDataHubOptions {
  readonly markets: readonly MarketConfig[];
  /**
   * Seeds the hub's level books (partial depth, bookTicker) and re-seeds one after a gap. It must
   * describe the book at an update id ≤ the first depth event published afterwards.
   */
  readonly depthSnapshot?: (symbol: string, limit: number) => DepthSnapshot | undefined;
  readonly logger?: StreamLogger;
  /** Wall clock for `E` fields; tests pass a fake one. */
  readonly now?: () => number;
  /** Run the 100 ms / 1000 ms timers (default true). Tests may drive `tick` themselves. */
  readonly timers?: boolean;
}

const SEED_LEVELS = 1_000_000;
const PARTIAL_LEVELS = [5, 10, 20] as const;

/**
 * The market-data fan-out core: fed with the engine's events in sequence order (`publish`), it
 * keeps what the streams show (level books, candles, 24 h windows) and hands each subscriber
 * pre-framed messages. It does no I/O itself; connections own their sockets and buffers.
 *
 * Contract: `publish` is called once per command, in increasing `seq`; a seq at or below the last
 * one is ignored (re-delivery after a reconnect to the log is harmless). Diffs are contiguous in
 * `U`/`u` as long as the publisher skips no command that changed a book.
 */
export class MarketDataHub {
  readonly symbols = new Map<string, SymbolState>();
  private readonly subscribers = new Map<string, Set<StreamSubscriber>>();
  private readonly users = new Map<number, Set<UserSubscriber>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly now: () => number;
  private readonly log: StreamLogger | undefined;
  lastSeq = 0;
  /** Messages handed to subscribers (one per subscriber), for metrics and tests. */
  delivered = 0;

  constructor(private readonly opts: MarketDataHubOptions) {
    this.now = opts.now ?? Date.now;
    this.log = opts.logger;
    for (const [symbol, format] of MarketFormat.fromConfigs(opts.markets)) {
      const st = new SymbolState(format);
      this.symbols.set(symbol, st);
      this.seed(st);
    }
    if (opts.timers !== false) {
      this.timers.push(setInterval(() => this.tick(100), 100), setInterval(() => this.tick(1000), 1000));
      for (const t of this.timers) t.unref();
    }
  }

  private seed(st: SymbolState): void {
    const snap = this.opts.depthSnapshot?.(st.format.symbol, SEED_LEVELS);
    if (snap === undefined) return;
    st.book.reset(snap.lastUpdateId, snap.bids, snap.asks);
    st.lastBestBid = st.book.best('bid');
    st.lastBestAsk = st.book.best('ask');
  }

  parse(name: string): StreamSpec | string {
    return parseStreamName(name, (s) => this.symbols.has(s));
  }

  /** Registers `sub` on a stream name already validated with `parse`. */
  subscribe(name: string, spec: StreamSpec, sub: StreamSubscriber): void {
    let set = this.subscribers.get(name);
    if (set === undefined) this.subscribers.set(name, (set = new Set()));
    set.add(sub);
    this.greet(name, spec, sub);
  }

  /** Streams that show a state rather than changes send it at once, so a new client sees something. */
  private greet(name: string, spec: StreamSpec, sub: StreamSubscriber): void {
    if (spec.kind === 'partialDepth') {
      const st = this.symbols.get(spec.symbol)!;
      sub.deliver(StreamMessage.of(name, this.partialPayload(st, spec.levels)));
    } else if (spec.kind === 'ticker' || spec.kind === 'miniTicker') {
      const st = this.symbols.get(spec.symbol)!;
      if (st.stats.hasTraded()) sub.deliver(StreamMessage.of(name, this.tickerPayload(st, spec.kind, this.now())));
    }
  }

  unsubscribe(name: string, sub: StreamSubscriber): void {
    const set = this.subscribers.get(name);
    if (set === undefined) return;
    set.delete(sub);
    if (set.size === 0) this.subscribers.delete(name);
  }

  subscriberCount(name: string): number {
    return this.subscribers.get(name)?.size ?? 0;
  }

  subscribeUser(userId: number, sub: UserSubscriber): void {
    let set = this.users.get(userId);
    if (set === undefined) this.users.set(userId, (set = new Set()));
    set.add(sub);
  }

  unsubscribeUser(userId: number, sub: UserSubscriber): void {
    const set = this.users.get(userId);
    if (set === undefined) return;
    set.delete(sub);
    if (set.size === 0) this.users.delete(userId);
  }

  /** Feeds the events of the command with sequence number `seq`, stamped `tsMs` by the sequencer. */
  publish(seq: number, tsMs: number, events: readonly EngineEvent[]): void {
    if (seq <= this.lastSeq) return;
    this.lastSeq = seq;
    const nowMs = this.now();
    let balances: BalanceEvent[] | undefined;
    for (const e of events) {
      switch (e.type) {
        case 'depth': this.onDepth(e); break;
        case 'trade': this.onTrade(e, nowMs); break;
        case 'order': this.onOrder(e, nowMs, tsMs); break;
        case 'balance': (balances ??= []).push(e); break;
        case 'apiKeyRevoked': this.onRevoked(e.userId, e.apiKey); break;
        default: break;
      }
    }
    if (balances !== undefined) this.onBalances(balances, nowMs, tsMs);
  }

  private send(name: string, payload: () => unknown): void {
    const set = this.subscribers.get(name);
    if (set === undefined) return;
    const msg = StreamMessage.of(name, payload());
    for (const sub of set) sub.deliver(msg);
    this.delivered += set.size;
  }

  private onDepth(e: DepthEvent): void {
    const st = this.symbols.get(e.symbol);
    if (st === undefined) return;
    if (st.lastDiffUpdateId !== 0 && e.updateId !== st.lastDiffUpdateId + 1) {
      this.log?.warn({ symbol: e.symbol, updateId: e.updateId, previous: st.lastDiffUpdateId }, 'depth events are not contiguous: the hub missed commands');
    }
    st.lastDiffUpdateId = e.updateId;
    st.windows[100].add(e);
    st.windows[1000].add(e);
    if (e.updateId <= st.book.updateId) return;
    if (st.book.updateId !== 0 && e.updateId !== st.book.updateId + 1 && this.opts.depthSnapshot !== undefined) {
      this.seed(st);
      if (e.updateId <= st.book.updateId) return;
    }
    st.book.applyFlat('bid', e.bids);
    st.book.applyFlat('ask', e.asks);
    st.book.updateId = e.updateId;
    const bid = st.book.best('bid');
    const ask = st.book.best('ask');
    if (bid[0] !== st.lastBestBid[0] || bid[1] !== st.lastBestBid[1] || ask[0] !== st.lastBestAsk[0] || ask[1] !== st.lastBestAsk[1]) {
      st.lastBestBid = bid;
      st.lastBestAsk = ask;
      this.send(`${st.format.streamSymbol}@bookTicker`, () => P.bookTicker(st.format, e.updateId, { bid, ask }));
    }
  }

  private onTrade(t: TradeEvent, nowMs: number): void {
    const st = this.symbols.get(t.symbol);
    if (st === undefined) return;
    const s = st.format.streamSymbol;
    st.stats.addTrade(t);
    for (const closed of st.candles.addTrade(t)) {
      closed.closedSent = true;
      this.send(`${s}@kline_${closed.interval}`, () => P.kline(st.format, nowMs, closed, true));
    }
    this.send(`${s}@trade`, () => P.trade(st.format, nowMs, t));
    this.send(`${s}@aggTrade`, () => P.aggTrade(st.format, nowMs, t));
  }

  private sendUser(userId: number, payload: () => unknown): void {
    const set = this.users.get(userId);
    if (set === undefined) return;
    const json = JSON.stringify(payload());
    for (const sub of set) sub.deliverUser(json);
    this.delivered += set.size;
  }

  private onOrder(o: OrderEvent, nowMs: number, tsMs: number): void {
    const st = this.symbols.get(o.symbol);
    if (st === undefined) return;
    this.sendUser(o.userId, () => U.executionReport(st.format, nowMs, tsMs, o));
  }

  private onBalances(balances: BalanceEvent[], nowMs: number, tsMs: number): void {
    const byUser = new Map<number, BalanceEvent[]>();
    for (const b of balances) {
      if (!this.users.has(b.userId)) continue;
      let list = byUser.get(b.userId);
      if (list === undefined) byUser.set(b.userId, (list = []));
      list.push(b);
    }
    for (const [userId, list] of byUser) {
      for (const b of list) if (U.isTransfer(b)) this.sendUser(userId, () => U.balanceUpdate(nowMs, tsMs, b));
      this.sendUser(userId, () => U.outboundAccountPosition(nowMs, tsMs, list));
    }
  }

  private onRevoked(userId: number, apiKey: string): void {
    const set = this.users.get(userId);
    if (set === undefined) return;
    for (const sub of [...set]) if (sub.apiKey === apiKey) { set.delete(sub); sub.revoked(); }
    if (set.size === 0) this.users.delete(userId);
  }

  /** Sends what is conflated over `speedMs`: diffs, partial depth; every second also klines and tickers. */
  tick(speedMs: 100 | 1000): void {
    const nowMs = this.now();
    for (const st of this.symbols.values()) {
      this.flushDiffs(st, speedMs, nowMs);
      this.flushPartials(st, speedMs);
      if (speedMs === 1000) this.flushKlines(st, nowMs);
    }
    if (speedMs === 1000) this.flushTickers(nowMs);
  }

  private flushDiffs(st: SymbolState, speedMs: 100 | 1000, nowMs: number): void {
    const w = st.windows[speedMs];
    if (w.isEmpty()) return;
    const s = st.format.streamSymbol;
    const names = speedMs === 100 ? [`${s}@depth@100ms`] : [`${s}@depth`, `${s}@depth@1000ms`];
    const d = w.take();
    let payload: P.DepthUpdatePayload | undefined;
    for (const name of names) {
      this.send(name, () => (payload ??= P.depthUpdate(st.format, nowMs, d.first, d.last, d.bids, d.asks)));
    }
  }

  private partialPayload(st: SymbolState, levels: number): unknown {
    return P.partialDepth(st.format, st.book.updateId, st.book.top('bid', levels), st.book.top('ask', levels));
  }

  private flushPartials(st: SymbolState, speedMs: 100 | 1000): void {
    const s = st.format.streamSymbol;
    for (const levels of PARTIAL_LEVELS) {
      const names = speedMs === 100 ? [`${s}@depth${levels}@100ms`] : [`${s}@depth${levels}`, `${s}@depth${levels}@1000ms`];
      for (const name of names) {
        if (!this.subscribers.has(name) || st.partialSent.get(name) === st.book.updateId) continue;
        st.partialSent.set(name, st.book.updateId);
        this.send(name, () => this.partialPayload(st, levels));
      }
    }
  }

  private flushKlines(st: SymbolState, nowMs: number): void {
    const s = st.format.streamSymbol;
    for (const interval of KLINE_INTERVALS) {
      const c = st.candles.get(interval);
      const name = `${s}@kline_${interval}`;
      if (c === undefined || !this.subscribers.has(name)) continue;
      const closed = nowMs > c.closeMs;
      if (!c.dirty && !(closed && !c.closedSent)) continue;
      c.dirty = false;
      if (closed) c.closedSent = true;
      this.send(name, () => P.kline(st.format, nowMs, c, closed));
    }
  }

  private tickerPayload(st: SymbolState, kind: 'ticker' | 'miniTicker', nowMs: number): unknown {
    const w = st.stats.window(nowMs);
    if (kind === 'miniTicker') return P.miniTicker(st.format, nowMs, w);
    return P.ticker(st.format, nowMs, w, { bid: st.book.best('bid'), ask: st.book.best('ask') });
  }

  private flushTickers(nowMs: number): void {
    const changed: SymbolState[] = [];
    for (const st of this.symbols.values()) {
      st.stats.expire(nowMs);
      if (!st.stats.dirty) continue;
      st.stats.dirty = false;
      changed.push(st);
      const s = st.format.streamSymbol;
      this.send(`${s}@miniTicker`, () => this.tickerPayload(st, 'miniTicker', nowMs));
      this.send(`${s}@ticker`, () => this.tickerPayload(st, 'ticker', nowMs));
    }
    if (changed.length === 0) return;
    this.send('!miniTicker@arr', () => changed.map((st) => this.tickerPayload(st, 'miniTicker', nowMs)));
    this.send('!ticker@arr', () => changed.map((st) => this.tickerPayload(st, 'ticker', nowMs)));
  }

  close(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
  }
}

export function createMarketDataHub(opts: MarketDataHubOptions): MarketDataHub {
  return new MarketDataHub(opts);
}
