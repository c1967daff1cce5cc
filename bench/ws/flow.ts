import { EngineFeed, ONE, prng } from '../../packages/stream/src/testing/sim.ts';

/**
 * The order flow of bench:ws on BTCUSDT: passive limit orders around a fixed mid, cancels of
 * resting ones, and a share of IOC takers that cross the spread (the trades). One step = one
 * command to the engine.
 */
export class OrderFlow {
  private readonly rand = prng(42);
  private readonly resting: { userId: number; orderId: number }[] = [];
  readonly users: number[];
  commands = 0;
  trades = 0;

  constructor(private readonly feed: EngineFeed, private readonly takerShare: number, private readonly midTicks = 3_000_000) {
    this.users = ['u1', 'u2', 'u3', 'u4'].map((n) => feed.user(n, { USDT: 10_000_000 * ONE, BTC: 10_000 * ONE }));
  }

  step(): void {
    this.commands++;
    const r = this.rand();
    const userId = this.users[Math.floor(this.rand() * this.users.length)]!;
    const buy = this.rand() < 0.5;
    if (r < this.takerShare) {
      const ev = this.feed.place({ userId, side: buy ? 'BUY' : 'SELL', timeInForce: 'IOC', priceTicks: this.midTicks + (buy ? 60 : -60), qtyLots: 20 + Math.floor(this.rand() * 40) });
      for (const e of ev) if (e.type === 'trade') this.trades++;
      return;
    }
    if (r < 0.5 && this.resting.length > 300) {
      const i = Math.floor(this.rand() * this.resting.length);
      const o = this.resting[i]!;
      this.resting[i] = this.resting[this.resting.length - 1]!;
      this.resting.pop();
      this.feed.apply({ t: 'cancel', userId: o.userId, symbol: 'BTCUSDT', orderId: o.orderId });
      return;
    }
    const offset = 1 + Math.floor(this.rand() * 50);
    const ev = this.feed.place({ userId, side: buy ? 'BUY' : 'SELL', priceTicks: buy ? this.midTicks - offset : this.midTicks + offset, qtyLots: 20 + Math.floor(this.rand() * 180) });
    for (const e of ev) if (e.type === 'order' && e.isWorking && e.execType === 'NEW') this.resting.push({ userId, orderId: e.orderId });
  }
}
