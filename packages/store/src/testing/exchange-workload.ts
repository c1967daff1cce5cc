import { DEFAULT_MARKETS, type Command, type EngineEvent } from '@matchbox/domain';
import { Engine } from '@matchbox/engine';
import { prng } from '@matchbox/domain';
import { encodeEventBatch, type LogEntry } from '@matchbox/log';

export interface ExchangeWorkloadOptions {
  readonly seed: number;
  readonly users?: number;
  /** First batch timestamp (ms). */
  readonly startTs?: number;
  /** Clock advance per batch (ms). */
  readonly tsStepMs?: number;
  /** Every this many batches the clock jumps a day and a bit, so day/week/month candles roll. */
  readonly jumpEveryBatches?: number;
}

const MIDS: Record<string, number> = { BTCUSDT: 3_000_000, ETHUSDT: 200_000 };
const SYMBOLS = Object.keys(MIDS);

/**
 * Real events for store tests and benchmarks: a seeded mix of commands on two symbols run through
 * the real Engine — limits (GTC/IOC/FOK), markets by quantity and by quote amount, stops, cancels
 * by id and clientOrderId, cancel-all, withdrawals, API keys created and revoked — packed into
 * event-log entries exactly as the sequencer writes them (one entry per batch, seq of its last
 * command, one timestamp per batch).
 */
export class ExchangeWorkload {
  readonly engine = new Engine(DEFAULT_MARKETS);
  private readonly rand: () => number;
  private readonly users: number;
  private seq = 0;
  private ts: number;
  private batches = 0;
  private placed = 0;
  private readonly recent: { userId: number; symbol: string; cid: string }[] = [];
  private keys: { userId: number; apiKey: string }[] = [];
  private keyCounter = 0;
  private setupDone = false;

  constructor(private readonly opts: ExchangeWorkloadOptions) {
    this.rand = prng(opts.seed);
    this.users = opts.users ?? 20;
    this.ts = opts.startTs ?? Date.UTC(2026, 0, 30, 22, 0, 0);
  }

  /** The next `count` commands as log entries of `batchSize` commands each. */
  entries(count: number, batchSize: number): LogEntry[] {
    const out: LogEntry[] = [];
    const commands = this.setupDone ? [] : this.setup();
    this.setupDone = true;
    while (commands.length < count) commands.push(this.next());
    for (let i = 0; i < commands.length; i += batchSize) out.push(this.apply(commands.slice(i, i + batchSize)));
    return out;
  }

  /** Runs a batch through the engine and encodes its events as one log entry. */
  apply(commands: readonly Command[]): LogEntry {
    this.batches++;
    const jump = this.opts.jumpEveryBatches ?? 0;
    this.ts += jump > 0 && this.batches % jump === 0 ? 86_400_000 + 3_600_000 : (this.opts.tsStepMs ?? 250);
    const events: EngineEvent[][] = commands.map((c) => this.engine.apply(c, ++this.seq, this.ts));
    return { seq: this.seq, payload: encodeEventBatch({ tsMs: this.ts, events }) };
  }

  private setup(): Command[] {
    const out: Command[] = [];
    for (let u = 1; u <= this.users; u++) {
      out.push({ t: 'createUser', username: `user${u}`, passwordHash: `hash${u}` });
      out.push({ t: 'deposit', userId: u, asset: 'USDT', amountUnits: 100_000_000_000_000 });
      out.push({ t: 'deposit', userId: u, asset: 'BTC', amountUnits: 10_000_000_000 });
      out.push({ t: 'deposit', userId: u, asset: 'ETH', amountUnits: 100_000_000_000 });
    }
    return out;
  }

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }

  private next(): Command {
    const userId = this.int(1, this.users);
    const symbol = SYMBOLS[this.int(0, SYMBOLS.length - 1)]!;
    const mid = MIDS[symbol]!;
    const side = this.rand() < 0.5 ? 'BUY' : 'SELL';
    const r = this.rand();
    if (r < 0.25 && this.recent.length > 0) {
      const o = this.recent[this.int(0, this.recent.length - 1)]!;
      return { t: 'cancel', userId: o.userId, symbol: o.symbol, clientOrderId: o.cid };
    }
    if (r < 0.27) return { t: 'cancelAll', userId, symbol };
    if (r < 0.35) return { t: 'place', userId, symbol, side, type: 'MARKET', qtyLots: this.int(30, 500) };
    if (r < 0.38) return { t: 'place', userId, symbol, side: 'BUY', type: 'MARKET', quoteQtyUnits: this.int(10, 500) * 100_000_000 };
    if (r < 0.42) {
      const up = this.rand() < 0.5;
      const stopPriceTicks = up ? mid + this.int(1, 30) : mid - this.int(1, 30);
      const type = this.rand() < 0.5 ? 'STOP_LOSS_LIMIT' : 'TAKE_PROFIT_LIMIT';
      return { t: 'place', userId, symbol, side, type, timeInForce: 'GTC', priceTicks: stopPriceTicks, stopPriceTicks, qtyLots: this.int(30, 300), clientOrderId: this.cid(userId, symbol) };
    }
    if (r < 0.43) return { t: 'withdraw', userId, asset: 'USDT', amountUnits: this.int(1, 1000) * 100_000 };
    if (r < 0.44) return this.keyCommand(userId);
    const d = this.int(-5, 44);
    const priceTicks = side === 'BUY' ? mid - d : mid + d;
    const timeInForce = r < 0.5 ? 'IOC' : r < 0.52 ? 'FOK' : 'GTC';
    return { t: 'place', userId, symbol, side, type: 'LIMIT', timeInForce, priceTicks, qtyLots: this.int(30, 400), clientOrderId: this.cid(userId, symbol) };
  }

  private cid(userId: number, symbol: string): string {
    const cid = `c${++this.placed}`;
    this.recent.push({ userId, symbol, cid });
    if (this.recent.length > 500) this.recent.shift();
    return cid;
  }

  private keyCommand(userId: number): Command {
    if (this.keys.length > 0 && this.rand() < 0.4) {
      const k = this.keys.splice(this.int(0, this.keys.length - 1), 1)[0]!;
      return { t: 'revokeApiKey', userId: k.userId, apiKey: k.apiKey };
    }
    const apiKey = `key${String(++this.keyCounter).padStart(16, '0')}`;
    this.keys.push({ userId, apiKey });
    return { t: 'createApiKey', userId, apiKey, secretEnc: 'enc', permissions: ['READ', 'TRADE'], label: `k${this.keyCounter}` };
  }
}
