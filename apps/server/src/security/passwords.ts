import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt (memory-hard, in node:crypto). Stored as
 * `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>` so the cost can be raised later without breaking
 * old hashes. Runs on the libuv thread pool: a login never blocks the event loop.
 */
const N = 16_384;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;

function derive(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, { ...opts, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Constant-time check; a malformed or disabled hash never verifies (but still costs a hash). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  const ok = parts.length === 6 && parts[0] === 'scrypt';
  const n = ok ? Number(parts[1]) : N;
  const r = ok ? Number(parts[2]) : R;
  const p = ok ? Number(parts[3]) : P;
  const sane = ok && [n, r, p].every((x) => Number.isInteger(x) && x > 0) && n <= 1 << 20 && r <= 32 && p <= 16;
  const salt = sane ? Buffer.from(parts[4]!, 'base64') : randomBytes(16);
  const expected = sane ? Buffer.from(parts[5]!, 'base64') : Buffer.alloc(KEY_BYTES);
  const key = await derive(password, salt, sane ? { N: n, r, p } : { N, r: R, p: P });
  return sane && expected.length === key.length && timingSafeEqual(expected, key);
}

/** A hash that no password matches: for dev-faucet users who only ever use API keys. */
export const DISABLED_PASSWORD = 'disabled';
