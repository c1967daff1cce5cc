export { Engine } from './engine.ts';
export { encodeSnapshot, snapshotStateHash, stateHash, SNAPSHOT_VERSION } from './snapshot-encode.ts';
export { decodeSnapshot } from './snapshot.ts';
export { checkInvariants } from './invariants.ts';
export { crc32, hash64 } from './codec.ts';
export type { Order } from './book/order.ts';
export type { Account, ApiKeyRecord } from './account.ts';
export type { MarketState } from './market-state.ts';
