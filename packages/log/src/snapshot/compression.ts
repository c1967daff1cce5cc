import { promisify } from 'node:util';
import { crc32, deflateRaw, inflateRaw, constants } from 'node:zlib';
import { CorruptSnapshotError } from '../types.ts';

const deflateAsync = promisify(deflateRaw);
const inflateAsync = promisify(inflateRaw);

/**
 * Compression runs on libuv's thread pool (async zlib), so a large snapshot is squeezed without
 * blocking the event loop that feeds the sequencer. Level 1: snapshots are mostly small
 * integers, which compress well even at the fastest level, and write time is a target.
 */
export async function compress(raw: Uint8Array): Promise<Buffer> {
  return deflateAsync(raw, { level: constants.Z_BEST_SPEED });
}

export async function decompress(seq: number, stored: Uint8Array, rawSize: number): Promise<Buffer> {
  let raw: Buffer;
  try {
    raw = await inflateAsync(stored, { maxOutputLength: Math.max(rawSize, 1) });
  } catch (err) {
    throw new CorruptSnapshotError(seq, `inflate failed: ${(err as Error).message}`);
  }
  if (raw.length !== rawSize) throw new CorruptSnapshotError(seq, `size ${raw.length} is not the recorded ${rawSize}`);
  return raw;
}

export function checksum(bytes: Uint8Array): number {
  return crc32(bytes);
}
