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

  it('carries request ids next to the commands (version 2) and stays version 1 without them', () => {
    fc.assert(fc.property(fc.array(fc.tuple(command, fc.option(fc.string({ unit: 'binary', maxLength: 40 }), { nil: undefined })), { maxLength: 30 }), int, (rows, tsMs) => {
      const commands = rows.map(([c]) => c);
      const requestIds = rows.map(([, id]) => id);
      const bytes = encodeCommandBatch({ tsMs, commands, requestIds });
      const decoded = decodeCommandBatch(bytes);
      expect(decoded.tsMs).toBe(tsMs);
      expect(decoded.commands).toStrictEqual(commands);
      if (requestIds.some((id) => id !== undefined)) {
        expect(bytes[0]).toBe(2);
        expect(decoded.requestIds).toStrictEqual(requestIds);
      } else {
        // No id at all: the exact bytes of a batch that never had request ids.
        expect(bytes).toStrictEqual(encodeCommandBatch({ tsMs, commands }));
        expect(decoded.requestIds).toBeUndefined();
      }
    }), { numRuns: 300 });
  });

  it('request ids never change the commands the engine replays', () => {
    const commands: Command[] = [
      { t: 'deposit', userId: 1, asset: 'USDT', amountUnits: 5 },
      { t: 'cancel', userId: 1, symbol: 'BTCUSDT', orderId: 3 },
    ];
    const plain = decodeCommandBatch(encodeCommandBatch({ tsMs: 7, commands }));
    const tagged = decodeCommandBatch(encodeCommandBatch({ tsMs: 7, commands, requestIds: [undefined, 'gw1:42'] }));
    expect(tagged.commands).toStrictEqual(plain.commands);
    expect(tagged.requestIds).toStrictEqual([undefined, 'gw1:42']);
  });

  it('rejects request ids that do not match the commands', () => {
    expect(() => encodeCommandBatch({ tsMs: 1, commands: [], requestIds: ['x'] })).toThrow(RangeError);
    const bytes = encodeCommandBatch({ tsMs: 1, commands: [{ t: 'cancel', userId: 1, symbol: 'B', orderId: 1 }], requestIds: ['r'] });
    expect(() => decodeCommandBatch(bytes.subarray(0, bytes.length - 1))).toThrow(RangeError);
    const bad = Buffer.from(bytes);
    bad.writeUInt32LE(5, bytes.length - 4 - 1 - 4); // index 5 of a 1-command batch
    expect(() => decodeCommandBatch(bad)).toThrow(RangeError);
  });
});
