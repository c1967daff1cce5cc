import { DEFAULT_MARKETS } from '@matchbox/domain';
import { encodeEventBatch, MemoryLog } from '@matchbox/log';
import { describe, expect, it } from 'vitest';
import type { StreamMessage } from './frame.ts';
import { MarketDataHub } from './hub.ts';
import { EventLogFollower } from './event-log-follower.ts';
import { Churn, EngineFeed, ONE, type Published } from './testing/sim.ts';

describe('EventLogFollower', () => {
  it('publishes every command of every entry in seq order, starting after the seed seq', async () => {
    const published: Published[] = [];
    const feed = new EngineFeed((p) => published.push(p), DEFAULT_MARKETS, () => 1_700_000_000_000);
    const users = [feed.user('a', { USDT: 1_000_000 * ONE, BTC: 100 * ONE }), feed.user('b', { USDT: 1_000_000 * ONE, BTC: 100 * ONE })];
    const churn = new Churn(feed, users, 5);
    for (let i = 0; i < 300; i++) churn.step();
    // A fan-out process starting here: seeded from the engine state at this seq.
    const seedSeq = feed.seq;
    const seed = feed.engine.depth('BTCUSDT', 1_000_000)!;
    for (let i = 0; i < 900; i++) churn.step();
    const log = new MemoryLog();
    for (let i = 0; i < published.length; i += 7) {
      const group = published.slice(i, i + 7);
      await log.append([{ seq: group.at(-1)!.seq, payload: encodeEventBatch({ tsMs: group[0]!.tsMs, events: group.map((p) => p.events) }) }]);
    }
    const hub = new MarketDataHub({ markets: DEFAULT_MARKETS, timers: false, depthSnapshot: () => seed });
    const diffs: { U: number; u: number }[] = [];
    const spec = hub.parse('btcusdt@depth@100ms');
    if (typeof spec === 'string') throw new Error(spec);
    hub.subscribe('btcusdt@depth@100ms', spec, { deliver: (m: StreamMessage) => diffs.push(JSON.parse(m.json) as { U: number; u: number }) });
    const follower = new EventLogFollower({ eventLog: log, hub, afterSeq: seedSeq });
    expect(await follower.catchUp()).toBeGreaterThan(0);
    hub.tick(100);
    expect(follower.seq).toBe(feed.seq);
    const engine = feed.engine.depth('BTCUSDT', 1_000_000)!;
    expect(diffs.at(-1)!.u).toBe(engine.lastUpdateId);
    expect(diffs[0]!.U).toBe(seed.lastUpdateId + 1);
    const st = hub.symbols.get('BTCUSDT')!;
    expect(st.book.top('bid', 1_000_000)).toEqual(engine.bids);
    expect(st.book.top('ask', 1_000_000)).toEqual(engine.asks);
    await log.close();
  });
});
