import { STP_MODES, type MarketConfig, type Permission, type StpMode } from '@matchbox/domain';
import type { Account } from './account.ts';
import { F_OPEN, Order } from './book/order.ts';
import { ByteReader, crc32 } from './codec.ts';
import { Engine } from './engine.ts';
import { CONFIG_STRINGS, HEADER_BYTES, MAGIC, SNAPSHOT_VERSION } from './snapshot-encode.ts';

function readConfig(r: ByteReader): MarketConfig {
  const s = Object.fromEntries(CONFIG_STRINGS.map((k) => [k, r.str()])) as Record<(typeof CONFIG_STRINGS)[number], string>;
  const makerFeePpm = r.uint();
  const takerFeePpm = r.uint();
  const stp = (): StpMode => {
    const m = STP_MODES[r.uint()];
    if (m === undefined) throw new Error('snapshot: bad STP mode');
    return m;
  };
  const allowedStpModes = Array.from({ length: r.uint() }, stp);
  return { ...s, makerFeePpm, takerFeePpm, allowedStpModes, defaultStpMode: stp(), maxNumOrders: r.uint() };
}

function readOrder(r: ByteReader, e: Engine): Order {
  const orderId = r.uint();
  const userId = r.uint();
  const flags = r.uint();
  const priceTicks = r.uint();
  const stopPriceTicks = r.uint();
  const origLots = r.uint();
  const remainingLots = r.uint();
  const executedLots = r.uint();
  const cumQuoteUnits = r.uint();
  const lockedUnits = r.uint();
  const clientOrderId = r.str();
  const o = new Order(orderId, userId, flags, priceTicks, stopPriceTicks, origLots, clientOrderId, r.uint());
  const triggeredPlusOne = r.uint();
  if (triggeredPlusOne > 0) e.triggeredAt.set(orderId, triggeredPlusOne - 1);
  o.remainingLots = remainingLots;
  o.executedLots = executedLots;
  o.cumQuoteUnits = cumQuoteUnits;
  o.lockedUnits = lockedUnits;
  return o;
}

function readBalances(r: ByteReader, a: Account): void {
  for (let i = 0; i < a.free.length; i++) {
    a.free[i] = r.uint();
    a.locked[i] = r.uint();
  }
}

/** Rebuilds an engine from a snapshot; throws on any corruption rather than guessing. */
export function decodeSnapshot(bytes: Uint8Array): Engine {
  if (bytes.length < HEADER_BYTES || MAGIC.some((b, i) => bytes[i] !== b)) throw new Error('snapshot: bad magic');
  if (bytes[4] !== SNAPSHOT_VERSION) throw new Error(`snapshot: unsupported version ${bytes[4]}`);
  const head = new ByteReader(bytes);
  head.pos = 5;
  const length = head.u32();
  const checksum = head.u32();
  if (bytes.length !== HEADER_BYTES + length) throw new Error('snapshot: length mismatch');
  const body = bytes.subarray(HEADER_BYTES);
  if (crc32(body) !== checksum) throw new Error('snapshot: checksum mismatch');
  return decodeBody(new ByteReader(body));
}

function decodeBody(r: ByteReader): Engine {
  const configs = Array.from({ length: r.uint() }, () => readConfig(r));
  const e = new Engine(configs);
  e.lastSeq = r.uint();
  e.lastTs = r.uint();
  e.nextOrderId = r.uint();
  e.nextUserId = r.uint();
  for (let i = 0; i < e.netDeposits.length; i++) e.netDeposits[i] = r.uint();
  readBalances(r, e.feeAccount);
  const userCount = r.uint();
  for (let u = 0; u < userCount; u++) {
    const userId = r.uint();
    const acct = e.newAccount(userId, r.str(), r.str());
    readBalances(r, acct);
    const keyCount = r.uint();
    for (let k = 0; k < keyCount; k++) {
      const apiKey = r.str();
      const secretEnc = r.str();
      const perms = r.str();
      const permissions = (perms === '' ? [] : perms.split(',')) as Permission[];
      e.apiKeys.set(apiKey, { apiKey, userId, secretEnc, permissions, label: r.str() });
      acct.apiKeys.push(apiKey);
    }
    e.accounts.set(userId, acct);
    e.userIdByName.set(acct.username, userId);
  }
  const open: Order[] = [];
  for (const ms of e.markets) {
    ms.nextTradeId = r.uint();
    ms.updateId = r.uint();
    ms.lastPriceTicks = r.uint();
    for (const side of [ms.bids, ms.asks]) {
      const levels = r.uint();
      const built = [];
      for (let l = 0; l < levels; l++) {
        const price = r.uint();
        const count = r.uint();
        const orders = Array.from({ length: count }, () => readOrder(r, e));
        built.push({ price, orders });
      }
      // Rebuild from the worst level so each new level lands at the best end of the array.
      for (let l = built.length - 1; l >= 0; l--) {
        const level = side.getOrCreate(built[l]!.price);
        for (const o of built[l]!.orders) {
          level.append(o);
          open.push(o);
        }
      }
    }
    for (const list of [ms.stops.rising, ms.stops.falling]) {
      const n = r.uint();
      for (let i = 0; i < n; i++) {
        const o = readOrder(r, e);
        list.push(o);
        open.push(o);
      }
    }
  }
  if (!r.done) throw new Error('snapshot: trailing bytes');
  for (const o of open) {
    if (!e.accounts.has(o.userId)) throw new Error(`snapshot: order ${o.orderId} of unknown user ${o.userId}`);
    o.flags |= F_OPEN;
    e.orders.set(o.orderId, o);
  }
  // Owners' open lists are in placement order, which is order id order: the index iterates so.
  for (const o of e.orders.values()) e.accounts.get(o.userId)!.addOpen(o, o.marketIndex);
  return e;
}
