import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';

/**
 * The embedded mode's server key: DATA_DIR/server.key, created once (0600) with 32 random bytes.
 * It encrypts API secrets at rest and signs sessions; losing it makes every API key unusable.
 */
export async function loadOrCreateServerKey(dataDir: string): Promise<Buffer> {
  const file = path.join(dataDir, 'server.key');
  await fsp.mkdir(dataDir, { recursive: true });
  try {
    const text = (await fsp.readFile(file, 'utf8')).trim();
    const key = Buffer.from(text, 'hex');
    if (key.length < 32) throw new Error(`${file} must hold at least 64 hex digits`);
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = randomBytes(32);
  await fsp.writeFile(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
