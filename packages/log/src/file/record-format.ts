import { crc32 } from 'node:zlib';

/**
 * One journal record on disk:
 *
 *   u32 payloadLength | u32 crc32(seqHi, seqLo, payload) | u32 seqHi | u32 seqLo | payload
 *
 * little-endian. The CRC covers the sequence number too, so a record copied to the wrong place
 * or a zero-filled region (crc32 of eight zero bytes is not zero) never passes as valid.
 */
export const HEADER_BYTES = 16;
/** A batch bigger than this is a bug upstream; the bound also stops a torn length field from
 *  making the scanner allocate gigabytes. */
export const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

export function encodeHeader(seq: number, payload: Uint8Array): Buffer {
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(Math.floor(seq / 0x1_0000_0000), 8);
  header.writeUInt32LE(seq >>> 0, 12);
  header.writeUInt32LE(crc32(payload, crc32(header.subarray(8, 16))), 4);
  return header;
}

export interface ScannedRecord {
  readonly seq: number;
  /** Offset of the record header within the scanned buffer. */
  readonly offset: number;
  readonly payloadLength: number;
}

export interface ScanResult {
  readonly records: ScannedRecord[];
  /** Bytes from the start that hold only valid records. */
  readonly validBytes: number;
  /** Why the scan stopped before the end of the buffer, if it did. */
  readonly stopReason: string | null;
}

/**
 * Scans records from `buf`, verifying every checksum, and stops at the first record that is
 * incomplete, fails its CRC or does not increase the seq: that is where a torn write begins.
 */
export function scanRecords(buf: Buffer, afterSeq: number): ScanResult {
  const records: ScannedRecord[] = [];
  let offset = 0;
  let prev = afterSeq;
  while (offset < buf.length) {
    if (buf.length - offset < HEADER_BYTES) return { records, validBytes: offset, stopReason: 'partial header' };
    const length = buf.readUInt32LE(offset);
    if (length > MAX_PAYLOAD_BYTES) return { records, validBytes: offset, stopReason: `length ${length} too large` };
    if (buf.length - offset - HEADER_BYTES < length) return { records, validBytes: offset, stopReason: 'partial payload' };
    const stored = buf.readUInt32LE(offset + 4);
    const computed = crc32(buf.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + length), crc32(buf.subarray(offset + 8, offset + 16)));
    if (stored !== computed) return { records, validBytes: offset, stopReason: 'checksum mismatch' };
    const seq = buf.readUInt32LE(offset + 8) * 0x1_0000_0000 + buf.readUInt32LE(offset + 12);
    if (seq <= prev) return { records, validBytes: offset, stopReason: `seq ${seq} not after ${prev}` };
    records.push({ seq, offset, payloadLength: length });
    prev = seq;
    offset += HEADER_BYTES + length;
  }
  return { records, validBytes: offset, stopReason: null };
}

/**
 * The offset of the first whole, valid record at or after `from` whose seq is above `afterSeq`
 * (-1 if none): whether anything valid lies beyond the point where a scan stopped. A torn write
 * leaves only the tail of the last write invalid, so valid records after an invalid one mean the
 * file was damaged (or an unfinished write reached the disk out of order). Every offset is tried;
 * the length and seq fields rule out almost all of them before a checksum is computed.
 */
export function findValidRecordAfter(buf: Buffer, from: number, afterSeq: number): number {
  for (let offset = from; offset + HEADER_BYTES <= buf.length; offset++) {
    const length = buf.readUInt32LE(offset);
    if (length > MAX_PAYLOAD_BYTES || buf.length - offset - HEADER_BYTES < length) continue;
    const seq = buf.readUInt32LE(offset + 8) * 0x1_0000_0000 + buf.readUInt32LE(offset + 12);
    if (seq <= afterSeq || seq > Number.MAX_SAFE_INTEGER) continue;
    const computed = crc32(buf.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + length), crc32(buf.subarray(offset + 8, offset + 16)));
    if (buf.readUInt32LE(offset + 4) === computed) return offset;
  }
  return -1;
}
