/**
 * Byte-level tools for the snapshot codec: a growable writer and a reader of unsigned LEB128
 * varints (exact up to 2^53), CRC32 for checksums and a 64-bit non-cryptographic digest for
 * stateHash. Pure functions over bytes; no I/O.
 */

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: true });

export class ByteWriter {
  private buf = new Uint8Array(1 << 16);
  private pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  uint(n: number): void {
    this.ensure(8);
    const buf = this.buf;
    if (n >= 0 && n <= 0x7fffffff && (n | 0) === n) {
      // Fast path: 31-bit values (almost everything) with bit operations.
      while (n >= 0x80) {
        buf[this.pos++] = (n & 0x7f) | 0x80;
        n >>>= 7;
      }
      buf[this.pos++] = n;
      return;
    }
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`snapshot: not a non-negative safe integer: ${n}`);
    while (n >= 0x80) {
      buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    buf[this.pos++] = n;
  }

  str(s: string): void {
    const n = s.length;
    if (n === 0) return this.uint(0);
    // ASCII (client ids, keys, names) is written directly; anything else goes through UTF-8.
    let ascii = n <= 0x7f;
    for (let i = 0; ascii && i < n; i++) if (s.charCodeAt(i) > 0x7f) ascii = false;
    if (!ascii) {
      const bytes = textEncoder.encode(s);
      this.uint(bytes.length);
      this.bytes(bytes);
      return;
    }
    this.ensure(n + 1);
    this.buf[this.pos++] = n;
    for (let i = 0; i < n; i++) this.buf[this.pos++] = s.charCodeAt(i);
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  u32(n: number): void {
    this.ensure(4);
    this.buf[this.pos++] = n >>> 24;
    this.buf[this.pos++] = (n >>> 16) & 0xff;
    this.buf[this.pos++] = (n >>> 8) & 0xff;
    this.buf[this.pos++] = n & 0xff;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

export class ByteReader {
  pos = 0;
  constructor(private readonly buf: Uint8Array, private readonly end = buf.length) {}

  uint(): number {
    const buf = this.buf;
    let result = 0;
    // Fast path: up to four bytes (28 bits) with bit operations.
    for (let shift = 0; shift < 28; shift += 7) {
      if (this.pos >= this.end) throw new Error('snapshot: truncated varint');
      const b = buf[this.pos++]!;
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
    }
    let mul = 2 ** 28;
    for (let i = 4; i < 8; i++) {
      if (this.pos >= this.end) throw new Error('snapshot: truncated varint');
      const b = buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) {
        if (!Number.isSafeInteger(result)) throw new Error('snapshot: varint out of range');
        return result;
      }
      mul *= 0x80;
    }
    throw new Error('snapshot: varint too long');
  }

  str(): string {
    const n = this.uint();
    if (n === 0) return '';
    const bytes = this.bytes(n);
    let ascii = n <= 64;
    for (let i = 0; ascii && i < n; i++) if (bytes[i]! > 0x7f) ascii = false;
    return ascii ? String.fromCharCode(...bytes) : textDecoder.decode(bytes);
  }

  bytes(n: number): Uint8Array {
    if (this.pos + n > this.end) throw new Error('snapshot: truncated');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  u32(): number {
    const b = this.bytes(4);
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  }

  get done(): boolean {
    return this.pos === this.end;
  }
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3), as zlib and gzip compute it. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A 64-bit digest (two independent 32-bit multiplicative lanes) as 16 hex characters. */
export function hash64(bytes: Uint8Array): string {
  let h1 = 0xdeadbeef ^ bytes.length;
  let h2 = 0x41c6ce57 ^ bytes.length;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    h1 = Math.imul(h1 ^ b, 2654435761);
    h2 = Math.imul(h2 ^ b, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}
