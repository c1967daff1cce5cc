import { STP_MODES, type MarketConfig } from '@matchbox/domain';
import type { Account } from './account.ts';
import type { BookSide } from './book/book-side.ts';
import { F_OPEN, F_TRIGGERED, type Order } from './book/order.ts';
import { ByteWriter, crc32, hash64 } from './codec.ts';
import type { EngineState } from './state.ts';

/*
 * Snapshot format (big-endian header, varint body):
 *   "MBXS" | version u8 | body length u32 | CRC-32 of body u32 | body
 * The body is canonical: the same logical state always encodes to the same bytes (users by id,
 * levels from the best price, orders in queue order), so stateHash() is the digest of the body.
 * Decoding checks magic, version, length and CRC before it trusts a byte.
 */
export const MAGIC = [0x4d, 0x42, 0x58, 0x53];
export const SNAPSHOT_VERSION = 1;
export const HEADER_BYTES = 13;

export const CONFIG_STRINGS = ['symbol', 'baseAsset', 'quoteAsset', 'tickSize', 'minPrice', 'maxPrice', 'stepSize', 'minQty', 'maxQty', 'minNotional', 'maxNotional'] as const;

function writeConfig(w: ByteWriter, c: MarketConfig): void {
  for (const k of CONFIG_STRINGS) w.str(c[k]);
  w.uint(c.makerFeePpm);
  w.uint(c.takerFeePpm);
  w.uint(c.allowedStpModes.length);
  for (const m of c.allowedStpModes) w.uint(STP_MODES.indexOf(m));
  w.uint(STP_MODES.indexOf(c.defaultStpMode));
  w.uint(c.maxNumOrders);
}


function writeOrder(w: ByteWriter, o: Order, e: EngineState): void {
  w.uint(o.orderId);
  w.uint(o.userId);
  w.uint(o.flags & ~F_OPEN);
  w.uint(o.priceTicks);
  w.uint(o.stopPriceTicks);
  w.uint(o.origLots);
  w.uint(o.remainingLots);
  w.uint(o.executedLots);
  w.uint(o.cumQuoteUnits);
  w.uint(o.lockedUnits);
  w.str(o.clientOrderId);
  w.uint(o.createdTs);
  w.uint((o.flags & F_TRIGGERED) !== 0 ? e.triggeredAt.get(o.orderId)! + 1 : 0); // trigger time + 1, or 0
}


function writeBalances(w: ByteWriter, a: Account): void {
  for (let i = 0; i < a.free.length; i++) {
    w.uint(a.free[i]!);
    w.uint(a.locked[i]!);
  }
}


function writeSide(w: ByteWriter, side: BookSide, e: EngineState): void {
  w.uint(side.levelCount);
  for (const level of side.fromBest()) {
    w.uint(level.priceTicks);
    w.uint(level.count);
    for (let o = level.head; o !== null; o = o.next) writeOrder(w, o, e);
  }
}

/** The canonical body: everything that matters, nothing that doesn't (no scratch state). */
export function encodeBody(e: EngineState): Uint8Array {
  const w = new ByteWriter();
  w.uint(e.marketConfigs.length);
  for (const c of e.marketConfigs) writeConfig(w, c);
  w.uint(e.lastSeq);
  w.uint(e.lastTs);
  w.uint(e.nextOrderId);
  w.uint(e.nextUserId);
  for (const n of e.netDeposits) w.uint(n);
  writeBalances(w, e.feeAccount);
  w.uint(e.accounts.size);
  for (const a of [...e.accounts.values()].sort((x, y) => x.userId - y.userId)) {
    w.uint(a.userId);
    w.str(a.username);
    w.str(a.passwordHash);
    writeBalances(w, a);
    w.uint(a.apiKeys.length);
    for (const key of a.apiKeys) {
      const rec = e.apiKeys.get(key)!;
      w.str(rec.apiKey);
      w.str(rec.secretEnc);
      w.str(rec.permissions.join(','));
      w.str(rec.label);
    }
  }
  for (const ms of e.markets) {
    w.uint(ms.nextTradeId);
    w.uint(ms.updateId);
    w.uint(ms.lastPriceTicks);
    writeSide(w, ms.bids, e);
    writeSide(w, ms.asks, e);
    for (const list of [ms.stops.rising, ms.stops.falling]) {
      w.uint(list.length);
      for (const o of list) writeOrder(w, o, e);
    }
  }
  return w.finish();
}

export function encodeSnapshot(e: EngineState): Uint8Array {
  const body = encodeBody(e);
  const w = new ByteWriter();
  w.bytes(Uint8Array.from(MAGIC));
  w.bytes(Uint8Array.of(SNAPSHOT_VERSION));
  w.u32(body.length);
  w.u32(crc32(body));
  w.bytes(body);
  return w.finish();
}

/** The state hash of an encoded snapshot, without decoding it (equals the engine's stateHash()). */
export function snapshotStateHash(bytes: Uint8Array): string {
  return hash64(bytes.subarray(HEADER_BYTES));
}

/** Digest of the whole state (books, accounts, keys, counters, last seq). */
export function stateHash(e: EngineState): string {
  return hash64(encodeBody(e));
}

