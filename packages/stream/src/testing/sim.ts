import { DEFAULT_MARKETS, type Command, type EngineEvent, type MarketConfig, type PlaceOrderFields } from '@matchbox/domain';
import { Engine } from '@matchbox/engine';
import { prng } from '@matchbox/domain';

/** The seeded mulberry32 PRNG of @matchbox/domain, re-exported for churn workloads (bench/ws uses it from here). */
export { prng };

/** 1 USDT / 1 BTC in asset units. */
export const ONE = 100_000_000;

export interface Published {
  readonly seq: number;
  readonly tsMs: number;
  readonly events: EngineEvent[];
}

/**
 * A real engine driven like the sequencer drives it (seq and ts stamped per command), handing each
 * command's events to `onEvents` — the embedded-mode feed of the hub, without the durable log.
 */
export class EngineFeed {
  readonly engine: Engine;
  seq = 0;
  tsMs: number;

  constructor(
    private readonly onEvents: (p: Published) => void,
    markets: readonly MarketConfig[] = DEFAULT_MARKETS,
    private readonly clock: () => number = Date.now,
  ) {
    this.engine = new Engine(markets);
    this.tsMs = clock();
  }

  apply(cmd: Command, tsMs?: number): EngineEvent[] {
    this.tsMs = Math.max(this.tsMs, tsMs ?? this.clock());
    const events = this.engine.apply(cmd, ++this.seq, this.tsMs);
    this.onEvents({ seq: this.seq, tsMs: this.tsMs, events });
    return events;
  }

  user(name: string, deposits: Record<string, number> = {}): number {
    const ev = this.apply({ t: 'createUser', username: name, passwordHash: 'h' });
    const created = ev.find((e) => e.type === 'userCreated');
    if (created === undefined || created.type !== 'userCreated') throw new Error(`createUser failed: ${JSON.stringify(ev)}`);
    for (const [asset, amountUnits] of Object.entries(deposits)) this.apply({ t: 'deposit', userId: created.userId, asset, amountUnits });
    return created.userId;
  }

  place(f: Partial<PlaceOrderFields> & { userId: number }, tsMs?: number): EngineEvent[] {
    return this.apply({ t: 'place', symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', clientOrderId: '', ...f }, tsMs);
  }
}

/**
 * Random book churn on BTCUSDT between two users: limit orders around a mid price (some crossing,
 * so trades happen) and cancels of resting orders. One call = one command.
 */
export class Churn {
  private readonly rand: () => number;
  private readonly resting: { userId: number; orderId: number }[] = [];

  constructor(private readonly feed: EngineFeed, private readonly users: readonly number[], seed = 1, private readonly midTicks = 3_000_000) {
    this.rand = prng(seed);
  }

  step(): void {
    const r = this.rand();
    if (r < 0.3 && this.resting.length > 0) {
      const i = Math.floor(this.rand() * this.resting.length);
      const o = this.resting[i]!;
      this.resting[i] = this.resting[this.resting.length - 1]!;
      this.resting.pop();
      this.feed.apply({ t: 'cancel', userId: o.userId, symbol: 'BTCUSDT', orderId: o.orderId });
      return;
    }
    const userId = this.users[Math.floor(this.rand() * this.users.length)]!;
    const side = this.rand() < 0.5 ? 'BUY' : 'SELL';
    const offset = Math.floor(this.rand() * 40) - 8;
    const priceTicks = side === 'BUY' ? this.midTicks - offset : this.midTicks + offset;
    const qtyLots = 20 + Math.floor(this.rand() * 200);
    const ev = this.feed.place({ userId, side, priceTicks, qtyLots });
    for (const e of ev) {
      if (e.type === 'order' && e.execType === 'NEW' && e.isWorking) this.resting.push({ userId, orderId: e.orderId });
    }
    if (this.resting.length > 4000) this.resting.splice(0, 1000);
  }
}
