import { DEFAULT_MARKETS } from '@matchbox/domain';
import { describe, expect, test } from 'vitest';
import { decodeSnapshot, encodeSnapshot, snapshotStateHash } from '../src/index.ts';
import { Sim, U } from './harness.ts';

function busySim(): Sim {
  const sim = new Sim();
  const a = sim.user('alice', { USDT: 100_000 * U, BTC: 10 * U, ETH: 10 * U });
  const b = sim.user('bob', { USDT: 100_000 * U, BTC: 10 * U });
  sim.apply({ t: 'createApiKey', userId: a, apiKey: 'A'.repeat(32), secretEnc: 'sealed', permissions: ['READ'], label: 'l' });
  sim.place({ userId: a, side: 'BUY', priceTicks: 10_000, qtyLots: 100_000, clientOrderId: 'a1' });
  sim.place({ userId: a, side: 'BUY', priceTicks: 10_000, qtyLots: 50_000 });
  sim.place({ userId: b, side: 'SELL', priceTicks: 10_000, qtyLots: 30_000 });
  sim.place({ userId: b, side: 'SELL', priceTicks: 10_500, qtyLots: 30_000 });
  sim.place({ userId: b, side: 'SELL', type: 'STOP_LOSS_LIMIT', priceTicks: 9_000, stopPriceTicks: 9_500, qtyLots: 20_000 });
  sim.place({ userId: a, symbol: 'ETHUSDT', side: 'SELL', priceTicks: 300_000, qtyLots: 10_000 });
  return sim;
}

describe('snapshot codec', () => {
  test('decoding gives the same state hash, books, balances and open orders', () => {
    const sim = busySim();
    const bytes = encodeSnapshot(sim.engine);
    const restored = decodeSnapshot(bytes);
    expect(restored.stateHash()).toBe(sim.engine.stateHash());
    expect(restored.depth('BTCUSDT', 10)).toEqual(sim.engine.depth('BTCUSDT', 10));
    expect(restored.balances(1)).toEqual(sim.engine.balances(1));
    expect(restored.balances(0)).toEqual(sim.engine.balances(0));
    expect(restored.openOrders(1).map((o) => o.orderId)).toEqual(sim.engine.openOrders(1).map((o) => o.orderId));
    expect(restored.apiKey('A'.repeat(32))).toEqual(sim.engine.apiKey('A'.repeat(32)));
    expect(restored.lastSeq).toBe(sim.engine.lastSeq);
    expect(encodeSnapshot(restored)).toEqual(bytes);
    expect(snapshotStateHash(bytes)).toBe(sim.engine.stateHash());
  });

  test('the restored engine continues exactly like the original', () => {
    const a = busySim();
    const b = busySim();
    const restored = decodeSnapshot(encodeSnapshot(b.engine));
    const next = [
      { t: 'place', userId: 2, symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', qtyLots: 200_000 },
      { t: 'cancel', userId: 1, symbol: 'BTCUSDT', clientOrderId: 'a1' },
      { t: 'place', userId: 1, symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', priceTicks: 10_500, qtyLots: 40_000, clientOrderId: 'a1' },
    ] as const;
    for (const cmd of next) {
      const seq = a.engine.lastSeq + 1;
      expect(JSON.stringify(restored.apply(cmd, seq, 42))).toBe(JSON.stringify(a.engine.apply(cmd, seq, 42)));
    }
    expect(restored.stateHash()).toBe(a.engine.stateHash());
  });

  test('corruption is detected: bad magic, version, length, checksum', () => {
    const bytes = encodeSnapshot(busySim().engine);
    const flip = (i: number): Uint8Array => { const c = bytes.slice(); c[i] = c[i]! ^ 0x01; return c; };
    expect(() => decodeSnapshot(flip(0))).toThrow(/magic/);
    expect(() => decodeSnapshot(flip(4))).toThrow(/version/);
    expect(() => decodeSnapshot(bytes.subarray(0, bytes.length - 1))).toThrow(/length/);
    expect(() => decodeSnapshot(flip(bytes.length - 3))).toThrow(/checksum/);
    expect(() => decodeSnapshot(new Uint8Array(3))).toThrow();
  });

  test('a snapshot is compact: well under 40 bytes per resting order', () => {
    const sim = new Sim([{ ...DEFAULT_MARKETS[0]!, maxNumOrders: 10_000 }]);
    sim.checkEvery = false;
    const a = sim.user('alice', { USDT: 80_000_000 * U });
    for (let i = 0; i < 5000; i++) sim.place({ userId: a, side: 'BUY', priceTicks: 10_000 - (i % 100), qtyLots: 5000 + i, clientOrderId: '' });
    expect(sim.engine.openOrderCount()).toBe(5000);
    const per = encodeSnapshot(sim.engine).length / 5000;
    expect(per).toBeLessThan(40);
  });
});
