import { ORDER_TYPES, STP_MODES, TIME_IN_FORCE, type CancelOrder, type Command, type PlaceOrder } from '@matchbox/domain';
import { ByteReader, ByteWriter } from './bytes.ts';

/**
 * The command log's entry payload: one sequencer batch.
 *
 *   u8 version | f64 tsMs | u32 count | count × command                       (version 1)
 *   u8 version | f64 tsMs | u32 count | count × command | u32 n | n × (u32 index, str requestId)   (version 2)
 *
 * Every command of a batch is stamped with the same time (the sequencer reads the clock once per
 * batch) and with consecutive seqs ending at the entry's seq. `place` and `cancel` — nearly all
 * of the traffic — get a compact binary form; the rare rest is JSON. Decoding gives back a value
 * deep-equal to what was encoded (absent optional fields stay absent), so replay is exact.
 *
 * Request ids (version 2) travel next to the commands, never inside them: a gateway in another
 * process tags its command with one so that it can recognise the command when it follows the log.
 * The engine never sees them, so replay and state hashes are the same with or without them. A
 * batch without any request id is written as version 1, byte for byte as before.
 */
export interface CommandBatch {
  readonly tsMs: number;
  readonly commands: readonly Command[];
  /**
   * Per command (same index), the submitter's request id, or undefined. Absent when no command of
   * the batch has one (decoding gives it back only for version 2 batches).
   */
  readonly requestIds?: readonly (string | undefined)[];
}

const VERSION = 1;
const VERSION_WITH_REQUEST_IDS = 2;
const TAG_JSON = 0;
const TAG_PLACE = 1;
const TAG_CANCEL = 2;

const SIDES = ['BUY', 'SELL'] as const;
const PLACE_OPTIONAL = ['timeInForce', 'priceTicks', 'qtyLots', 'quoteQtyUnits', 'stopPriceTicks', 'clientOrderId', 'stpMode'] as const;

const writer = new ByteWriter();

function writePlace(w: ByteWriter, c: PlaceOrder): void {
  w.u8(TAG_PLACE);
  w.f64(c.userId);
  w.str(c.symbol);
  w.u8(SIDES.indexOf(c.side));
  w.u8(ORDER_TYPES.indexOf(c.type));
  let mask = 0;
  for (let i = 0; i < PLACE_OPTIONAL.length; i++) if (c[PLACE_OPTIONAL[i]!] !== undefined) mask |= 1 << i;
  w.u8(mask);
  if (c.timeInForce !== undefined) w.u8(TIME_IN_FORCE.indexOf(c.timeInForce));
  if (c.priceTicks !== undefined) w.f64(c.priceTicks);
  if (c.qtyLots !== undefined) w.f64(c.qtyLots);
  if (c.quoteQtyUnits !== undefined) w.f64(c.quoteQtyUnits);
  if (c.stopPriceTicks !== undefined) w.f64(c.stopPriceTicks);
  if (c.clientOrderId !== undefined) w.str(c.clientOrderId);
  if (c.stpMode !== undefined) w.u8(STP_MODES.indexOf(c.stpMode));
}

function readPlace(r: ByteReader): PlaceOrder {
  const userId = r.f64();
  const symbol = r.str();
  const side = SIDES[r.u8()]!;
  const type = ORDER_TYPES[r.u8()]!;
  const mask = r.u8();
  const c: { -readonly [K in keyof PlaceOrder]: PlaceOrder[K] } = { t: 'place', userId, symbol, side, type };
  if (mask & 1) c.timeInForce = TIME_IN_FORCE[r.u8()]!;
  if (mask & 2) c.priceTicks = r.f64();
  if (mask & 4) c.qtyLots = r.f64();
  if (mask & 8) c.quoteQtyUnits = r.f64();
  if (mask & 16) c.stopPriceTicks = r.f64();
  if (mask & 32) c.clientOrderId = r.str();
  if (mask & 64) c.stpMode = STP_MODES[r.u8()]!;
  return c;
}

function writeCancel(w: ByteWriter, c: CancelOrder): void {
  w.u8(TAG_CANCEL);
  w.f64(c.userId);
  w.str(c.symbol);
  w.u8((c.orderId !== undefined ? 1 : 0) | (c.clientOrderId !== undefined ? 2 : 0));
  if (c.orderId !== undefined) w.f64(c.orderId);
  if (c.clientOrderId !== undefined) w.str(c.clientOrderId);
}

function readCancel(r: ByteReader): CancelOrder {
  const userId = r.f64();
  const symbol = r.str();
  const mask = r.u8();
  const c: { -readonly [K in keyof CancelOrder]: CancelOrder[K] } = { t: 'cancel', userId, symbol };
  if (mask & 1) c.orderId = r.f64();
  if (mask & 2) c.clientOrderId = r.str();
  return c;
}

/** True when the binary form would lose something (an unknown enum value or an extra key). */
function needsJson(c: Command): boolean {
  if (c.t === 'place') {
    if (!SIDES.includes(c.side) || !ORDER_TYPES.includes(c.type)) return true;
    if (c.timeInForce !== undefined && !TIME_IN_FORCE.includes(c.timeInForce)) return true;
    if (c.stpMode !== undefined && !STP_MODES.includes(c.stpMode)) return true;
    for (const k in c) if (k !== 't' && k !== 'userId' && k !== 'symbol' && k !== 'side' && k !== 'type' && !(PLACE_OPTIONAL as readonly string[]).includes(k)) return true;
    return false;
  }
  if (c.t === 'cancel') {
    for (const k in c) if (k !== 't' && k !== 'userId' && k !== 'symbol' && k !== 'orderId' && k !== 'clientOrderId') return true;
    return false;
  }
  return true;
}

export function encodeCommandBatch(batch: CommandBatch): Buffer {
  const w = writer;
  const ids = batch.requestIds;
  let tagged = 0;
  if (ids !== undefined) {
    if (ids.length !== batch.commands.length) throw new RangeError(`${ids.length} request ids for ${batch.commands.length} commands`);
    for (const id of ids) if (id !== undefined) tagged++;
  }
  w.u8(tagged > 0 ? VERSION_WITH_REQUEST_IDS : VERSION);
  w.f64(batch.tsMs);
  w.u32(batch.commands.length);
  for (const c of batch.commands) {
    if (needsJson(c)) {
      w.u8(TAG_JSON);
      w.str(JSON.stringify(c));
    } else if (c.t === 'place') writePlace(w, c);
    else writeCancel(w, c as CancelOrder);
  }
  if (tagged > 0) {
    w.u32(tagged);
    ids!.forEach((id, i) => {
      if (id === undefined) return;
      w.u32(i);
      w.str(id);
    });
  }
  return w.finish();
}

export function decodeCommandBatch(payload: Uint8Array): CommandBatch {
  const r = new ByteReader(payload);
  const version = r.u8();
  if (version !== VERSION && version !== VERSION_WITH_REQUEST_IDS) throw new RangeError(`command batch version ${version} is not ${VERSION} or ${VERSION_WITH_REQUEST_IDS}`);
  const tsMs = r.f64();
  const count = r.u32();
  const commands: Command[] = new Array<Command>(count);
  for (let i = 0; i < count; i++) {
    const tag = r.u8();
    if (tag === TAG_PLACE) commands[i] = readPlace(r);
    else if (tag === TAG_CANCEL) commands[i] = readCancel(r);
    else if (tag === TAG_JSON) commands[i] = JSON.parse(r.str()) as Command;
    else throw new RangeError(`unknown command tag ${tag}`);
  }
  if (version === VERSION) {
    if (!r.done) throw new RangeError('trailing bytes after command batch');
    return { tsMs, commands };
  }
  const requestIds = new Array<string | undefined>(count).fill(undefined);
  const tagged = r.u32();
  if (tagged === 0 || tagged > count) throw new RangeError(`${tagged} request ids in a batch of ${count}`);
  let prev = -1;
  for (let k = 0; k < tagged; k++) {
    const i = r.u32();
    if (i <= prev || i >= count) throw new RangeError(`request id index ${i} out of order or range`);
    requestIds[i] = r.str();
    prev = i;
  }
  if (!r.done) throw new RangeError('trailing bytes after command batch');
  return { tsMs, commands, requestIds };
}
