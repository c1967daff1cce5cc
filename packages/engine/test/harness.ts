import { DEFAULT_MARKETS, type Command, type EngineEvent, type MarketConfig, type OrderEvent, type PlaceOrderFields } from '@matchbox/domain';
import { checkInvariants, Engine } from '../src/index.ts';

/** 1 USDT / 1 BTC in units. */
export const U = 100_000_000;

/**
 * Drives an engine in tests: stamps seq and ts, checks every invariant after every command, and
 * offers short helpers for the common commands.
 */
export class Sim {
  readonly engine: Engine;
  seq = 0;
  ts = 1_700_000_000_000;
  checkEvery = true;

  constructor(markets: readonly MarketConfig[] = DEFAULT_MARKETS) {
    this.engine = new Engine(markets);
  }

  apply(cmd: Command): EngineEvent[] {
    this.ts += 1;
    const events = this.engine.apply(cmd, ++this.seq, this.ts);
    if (this.checkEvery) {
      const problems = checkInvariants(this.engine);
      if (problems.length > 0) throw new Error(`invariants broken after ${JSON.stringify(cmd)}:\n${problems.join('\n')}`);
    }
    return events;
  }

  user(name: string, deposits: Record<string, number> = {}): number {
    const ev = this.apply({ t: 'createUser', username: name, passwordHash: 'h' });
    const created = ev.find((e) => e.type === 'userCreated');
    if (created === undefined || created.type !== 'userCreated') throw new Error(`createUser failed: ${JSON.stringify(ev)}`);
    for (const [asset, units] of Object.entries(deposits)) this.apply({ t: 'deposit', userId: created.userId, asset, amountUnits: units });
    return created.userId;
  }

  place(f: Partial<PlaceOrderFields> & { userId: number }): EngineEvent[] {
    return this.apply({ t: 'place', symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', clientOrderId: '', ...f });
  }

  balance(userId: number, asset: string): { free: number; locked: number } {
    const b = this.engine.balances(userId)!.find((x) => x.asset === asset)!;
    return { free: b.freeUnits, locked: b.lockedUnits };
  }
}

export const orders = (ev: EngineEvent[]): OrderEvent[] => ev.filter((e): e is OrderEvent => e.type === 'order');
export const ofType = <T extends EngineEvent['type']>(ev: EngineEvent[], type: T): Extract<EngineEvent, { type: T }>[] =>
  ev.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);
export const rejected = (ev: EngineEvent[]): string | undefined => ofType(ev, 'rejected')[0]?.error;
/** The last order event for an order id. */
export const lastOf = (ev: EngineEvent[], orderId: number): OrderEvent | undefined => orders(ev).filter((o) => o.orderId === orderId).pop();
