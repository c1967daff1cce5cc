import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ORDER_TYPES, STP_MODES, TIME_IN_FORCE, type Command } from '@matchbox/domain';
import { decodeCommandBatch, encodeCommandBatch } from './command-batch.ts';

const int = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const place = fc.record({
  t: fc.constant('place' as const), userId: int, symbol: fc.string(), side: fc.constantFrom('BUY' as const, 'SELL' as const),
  type: fc.constantFrom(...ORDER_TYPES), timeInForce: fc.constantFrom(...TIME_IN_FORCE), priceTicks: int, qtyLots: int,
  quoteQtyUnits: int, stopPriceTicks: int, clientOrderId: fc.string({ unit: 'binary' }), stpMode: fc.constantFrom(...STP_MODES),
}, { requiredKeys: ['t', 'userId', 'symbol', 'side', 'type'], noNullPrototype: true });
const cancel = fc.record({ t: fc.constant('cancel' as const), userId: int, symbol: fc.string(), orderId: int, clientOrderId: fc.string() },
  { requiredKeys: ['t', 'userId', 'symbol'], noNullPrototype: true });
const deposit = fc.record({ t: fc.constant('deposit' as const), userId: int, asset: fc.string(), amountUnits: int }, { noNullPrototype: true });
const command: fc.Arbitrary<Command> = fc.oneof(place, cancel, deposit);

describe('command batch codec', () => {
  it('round-trips any batch exactly, keeping absent fields absent', () => {
    fc.assert(fc.property(fc.array(command, { maxLength: 50 }), int, (commands, tsMs) => {
      const decoded = decodeCommandBatch(encodeCommandBatch({ tsMs, commands }));
      expect(decoded.tsMs).toBe(tsMs);
      expect(decoded.commands).toStrictEqual(commands);
    }), { numRuns: 300 });
  });

  it('falls back to JSON for values the binary form cannot hold', () => {
    const odd = { t: 'place', userId: 1, symbol: 'X', side: 'BUY', type: 'LIMIT', timeInForce: 'GTD', extra: 1 } as unknown as Command;
    expect(decodeCommandBatch(encodeCommandBatch({ tsMs: 1, commands: [odd] })).commands).toStrictEqual([odd]);
  });

  it('rejects a truncated batch instead of inventing commands', () => {
    const bytes = encodeCommandBatch({ tsMs: 5, commands: [{ t: 'cancel', userId: 1, symbol: 'BTCUSDT', orderId: 9 }] });
    expect(() => decodeCommandBatch(bytes.subarray(0, bytes.length - 1))).toThrow(RangeError);
  });
});
