import {
  DEFAULT_MARKETS,
  type Command, type EngineEvent, type OrderType, type PlaceOrderFields, type Side, type StpMode, type TimeInForce,
} from '@matchbox/domain';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { checkInvariants, decodeSnapshot, encodeSnapshot, Engine } from '../src/index.ts';
import { U } from './harness.ts';

/*
 * Determinism and recovery: the same command stream gives byte-identical events and the same
 * state hash; a snapshot taken anywhere, decoded and continued, is indistinguishable from never
 * stopping; and a snapshot with any single byte changed is refused.
 */

const T0 = 1_700_000_000_000;
const SYMBOLS = ['BTCUSDT', 'BTCUSDT', 'ETHUSDT', 'SOLUSDT'];
const BASE_PRICE: Record<string, number> = { BTCUSDT: 1_000_000, ETHUSDT: 200_000, SOLUSDT: 10_000 };
const CIDS = ['', '', '', 'a', 'b'];
const API_KEYS = ['keyAAAAAAAAAAAAA1', 'keyBBBBBBBBBBBBB2', 'keyCCCCCCCCCCCCC3'];

const SETUP: Command[] = [
  ...['ann', 'bob', 'cat', 'dan'].map((username): Command => ({ t: 'createUser', username, passwordHash: `h-${username}` })),
  ...[1, 2, 3].flatMap((userId): Command[] => [
    { t: 'deposit', userId, asset: 'USDT', amountUnits: 1_000_000 * U },
    { t: 'deposit', userId, asset: 'BTC', amountUnits: 100 * U },
    { t: 'deposit', userId, asset: 'ETH', amountUnits: 1_000 * U },
    { t: 'deposit', userId, asset: 'SOL', amountUnits: 10_000 * U },
  ]),
  { t: 'deposit', userId: 4, asset: 'USDT', amountUnits: 50 * U },
  { t: 'deposit', userId: 4, asset: 'BTC', amountUnits: U / 200 },
];

const userArb = fc.integer({ min: 1, max: 4 });
const placeArb: fc.Arbitrary<PlaceOrderFields> = fc.record({
  userId: userArb,
  symbol: fc.constantFrom(...SYMBOLS),
  side: fc.constantFrom<Side>('BUY', 'SELL'),
  type: fc.constantFrom<OrderType>('LIMIT', 'LIMIT', 'LIMIT', 'MARKET', 'LIMIT_MAKER', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'),
  tif: fc.constantFrom<TimeInForce>('GTC', 'GTC', 'IOC', 'FOK'),
  dp: fc.integer({ min: -5, max: 5 }),
  qty: fc.integer({ min: 20, max: 500 }),
  byQuote: fc.boolean(),
  quote: fc.integer({ min: U, max: 50 * U }),
  stopDp: fc.integer({ min: -5, max: 5 }),
  stp: fc.constantFrom<StpMode | undefined>(undefined, 'NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'),
  cid: fc.constantFrom(...CIDS),
}).map((o) => {
  const base = BASE_PRICE[o.symbol]!;
  const hasPrice = o.type === 'LIMIT' || o.type === 'LIMIT_MAKER' || o.type.endsWith('_LIMIT');
  const byQuote = o.byQuote && (o.type === 'MARKET' || o.type === 'STOP_LOSS' || o.type === 'TAKE_PROFIT');
  const isStop = o.type.startsWith('STOP') || o.type.startsWith('TAKE');
  return {
    userId: o.userId, symbol: o.symbol, side: o.side, type: o.type,
    timeInForce: hasPrice && o.type !== 'LIMIT_MAKER' ? o.tif : undefined,
    priceTicks: hasPrice ? base + o.dp : undefined,
    qtyLots: byQuote ? undefined : o.qty,
    quoteQtyUnits: byQuote ? o.quote : undefined,
    stopPriceTicks: isStop ? base + o.stopDp : undefined,
    stpMode: o.stp, clientOrderId: o.cid,
  };
});

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: placeArb.map((f): Command => ({ t: 'place', ...f })), weight: 12 },
  {
    arbitrary: fc.record({ userId: userArb, symbol: fc.constantFrom(...SYMBOLS), id: fc.integer({ min: 1, max: 80 }), cid: fc.constantFrom(...CIDS) })
      .map(({ userId, symbol, id, cid }): Command => (cid === '' ? { t: 'cancel', userId, symbol, orderId: id } : { t: 'cancel', userId, symbol, clientOrderId: cid })),
    weight: 4,
  },
  { arbitrary: fc.record({ userId: userArb, symbol: fc.constantFrom(...SYMBOLS) }).map((c): Command => ({ t: 'cancelAll', ...c })), weight: 1 },
  {
    arbitrary: fc.record({ order: placeArb, id: fc.integer({ min: 1, max: 80 }), stop: fc.boolean() })
      .map(({ order, id, stop }): Command => ({
        t: 'cancelReplace', userId: order.userId, symbol: order.symbol, cancelOrderId: id, mode: stop ? 'STOP_ON_FAILURE' : 'ALLOW_FAILURE', order,
      })),
    weight: 2,
  },
  {
    arbitrary: fc.record({ t: fc.constantFrom('deposit' as const, 'withdraw' as const), userId: userArb, asset: fc.constantFrom('BTC', 'ETH', 'SOL', 'USDT'), amountUnits: fc.integer({ min: 1, max: 100 * U }) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ userId: userArb, apiKey: fc.constantFrom(...API_KEYS), revoke: fc.boolean() })
      .map(({ userId, apiKey, revoke }): Command => (revoke
        ? { t: 'revokeApiKey', userId, apiKey }
        : { t: 'createApiKey', userId, apiKey, secretEnc: `enc-${apiKey}`, permissions: ['TRADE', 'READ'], label: 'bot' })),
    weight: 1,
  },
  { arbitrary: fc.constantFrom('eve', 'fay', 'ann').map((username): Command => ({ t: 'createUser', username, passwordHash: 'h' })), weight: 1 },
);

const streamArb = (maxLength: number): fc.Arbitrary<Command[]> =>
  fc.array(commandArb, { minLength: 1, maxLength, size: 'max' }).map((cmds) => [...SETUP, ...cmds]);

/** Applies commands from sequence number `firstSeq` on; the time is a function of seq only. */
function applyAll(engine: Engine, cmds: readonly Command[], firstSeq: number): EngineEvent[][] {
  return cmds.map((cmd, i) => engine.apply(cmd, firstSeq + i, T0 + 3 * (firstSeq + i)));
}

function run(cmds: readonly Command[]): { engine: Engine; events: EngineEvent[][] } {
  const engine = new Engine(DEFAULT_MARKETS);
  return { engine, events: applyAll(engine, cmds, 1) };
}

/** The read side a client sees, for comparisons beyond the hash. */
function view(e: Engine): unknown {
  const users = Array.from({ length: e.nextUserId }, (_, userId) => ({
    balances: e.balances(userId),
    open: e.openOrders(userId).map((o) => [o.orderId, o.clientOrderId, o.remainingLots, o.executedLots, o.lockedUnits, e.isWorking(o)]),
  }));
  return { users, depth: DEFAULT_MARKETS.map((m) => e.depth(m.symbol, 1_000_000)), open: e.openOrderCount() };
}

function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

describe('determinism', () => {
  test('the same stream twice gives byte-identical events and the same state hash', () => {
    fc.assert(fc.property(streamArb(300), (cmds) => {
      deepFreeze(cmds); // apply must not write into its commands
      const a = run(cmds);
      const b = run(cmds);
      expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
      expect(b.engine.stateHash()).toBe(a.engine.stateHash());
      expect(sameBytes(encodeSnapshot(a.engine), encodeSnapshot(b.engine))).toBe(true);
    }), { numRuns: 200 });
  });

  test('two engines fed the same stream in lockstep agree after every command (no shared state)', () => {
    fc.assert(fc.property(streamArb(300), (cmds) => {
      const a = new Engine(DEFAULT_MARKETS);
      const b = new Engine(DEFAULT_MARKETS);
      cmds.forEach((cmd, i) => {
        const ea = JSON.stringify(a.apply(cmd, i + 1, T0 + 3 * (i + 1)));
        const eb = JSON.stringify(b.apply(cmd, i + 1, T0 + 3 * (i + 1)));
        if (ea !== eb) expect.fail(`command ${i + 1} ${JSON.stringify(cmd)}:\n${ea}\n${eb}`);
      });
      expect(b.stateHash()).toBe(a.stateHash());
    }), { numRuns: 100 });
  });

  test('snapshot at a random point, restore, continue ≡ uninterrupted', () => {
    fc.assert(fc.property(streamArb(300), fc.double({ min: 0, max: 1, noNaN: true }), (cmds, at) => {
      const whole = run(cmds);
      const k = Math.floor(at * cmds.length);
      const first = run(cmds.slice(0, k));
      const bytes = encodeSnapshot(first.engine);
      const restored = decodeSnapshot(bytes);
      expect(restored.stateHash()).toBe(first.engine.stateHash());
      expect(sameBytes(encodeSnapshot(restored), bytes)).toBe(true);
      expect(checkInvariants(restored)).toEqual([]);
      expect(view(restored)).toEqual(view(first.engine));

      const rest = applyAll(restored, cmds.slice(k), k + 1);
      expect(JSON.stringify(rest)).toBe(JSON.stringify(whole.events.slice(k)));
      expect(checkInvariants(restored)).toEqual([]);
      expect(restored.stateHash()).toBe(whole.engine.stateHash());
      expect(view(restored)).toEqual(view(whole.engine));
    }), { numRuns: 500 });
  });

  test('snapshot → restore repeatedly along one stream ≡ uninterrupted', () => {
    fc.assert(fc.property(streamArb(300), fc.integer({ min: 1, max: 40 }), (cmds, every) => {
      const whole = run(cmds);
      let engine = new Engine(DEFAULT_MARKETS);
      const events: EngineEvent[][] = [];
      for (let i = 0; i < cmds.length; i++) {
        if (i % every === 0) engine = decodeSnapshot(encodeSnapshot(engine));
        events.push(engine.apply(cmds[i]!, i + 1, T0 + 3 * (i + 1)));
      }
      expect(JSON.stringify(events)).toBe(JSON.stringify(whole.events));
      expect(engine.stateHash()).toBe(whole.engine.stateHash());
    }), { numRuns: 100 });
  });

  test('the hash tells different states apart', () => {
    const a = run(SETUP).engine;
    const b = run([...SETUP.slice(0, -1), { t: 'deposit', userId: 4, asset: 'BTC', amountUnits: U / 200 + 1 }]).engine;
    expect(a.stateHash()).not.toBe(b.stateHash());
    expect(a.stateHash()).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('snapshot corruption', () => {
  const sample = (): Uint8Array => {
    // A fixed long stream (fast-check's first samples are deliberately tiny).
    const [cmds] = fc.sample(fc.array(commandArb, { minLength: 1500, maxLength: 1500 }), { numRuns: 1, seed: 42 });
    return encodeSnapshot(run([...SETUP, ...cmds!]).engine);
  };

  test('changing any single byte makes decodeSnapshot throw (every position)', () => {
    const bytes = sample();
    expect(bytes.length).toBeGreaterThan(1000);
    expect(() => decodeSnapshot(bytes)).not.toThrow();
    const undetected: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      for (const flip of [0x01, 0x80, 0xff, ((i * 37) % 254) + 1]) {
        const bad = bytes.slice();
        bad[i]! ^= flip;
        try {
          decodeSnapshot(bad);
          undetected.push(i);
        } catch {
          // expected
        }
      }
    }
    expect(undetected).toEqual([]);
  });

  test('changing one byte of random snapshots makes decodeSnapshot throw', () => {
    fc.assert(fc.property(streamArb(120), fc.nat(), fc.integer({ min: 1, max: 255 }), (cmds, pos, flip) => {
      const bytes = encodeSnapshot(run(cmds).engine);
      const bad = bytes.slice();
      bad[pos % bytes.length]! ^= flip;
      expect(() => decodeSnapshot(bad)).toThrow();
    }), { numRuns: 300 });
  });

  test('truncated or extended snapshots are refused', () => {
    const bytes = sample();
    for (let n = 0; n < bytes.length; n++) expect(() => decodeSnapshot(bytes.subarray(0, n))).toThrow();
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(() => decodeSnapshot(longer)).toThrow();
  });
});
