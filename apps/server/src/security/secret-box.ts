import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encrypts API secrets at rest with AES-256-GCM under a key derived from the server key. The
 * engine state, the log and snapshots only ever hold `v1.<iv>.<tag>.<ciphertext>` (base64url);
 * the API key itself is bound as associated data, so a ciphertext cannot be moved to another key.
 * Also derives the MAC key for session tokens from the same server key (separate HKDF labels).
 */
export class SecretBox {
  private readonly encKey: Buffer;
  readonly sessionKey: Buffer;

  constructor(serverKey: Buffer) {
    if (serverKey.length < 32) throw new Error('server key must be at least 32 bytes');
    this.encKey = Buffer.from(hkdfSync('sha256', serverKey, 'matchbox', 'api-key-secrets/v1', 32));
    this.sessionKey = Buffer.from(hkdfSync('sha256', serverKey, 'matchbox', 'sessions/v1', 32));
  }

  seal(apiKey: string, secret: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.encKey, iv);
    c.setAAD(Buffer.from(apiKey));
    const ct = Buffer.concat([c.update(secret, 'utf8'), c.final()]);
    return ['v1', iv, c.getAuthTag(), ct].map((x) => (typeof x === 'string' ? x : x.toString('base64url'))).join('.');
  }

  /** Throws when the box was sealed under another server key or tampered with. */
  open(apiKey: string, sealed: string): string {
    const [v, iv, tag, ct] = sealed.split('.');
    if (v !== 'v1' || iv === undefined || tag === undefined || ct === undefined) throw new Error('unknown secret format');
    const d = createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64url'));
    d.setAAD(Buffer.from(apiKey));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
  }

  mac(data: string): Buffer {
    return createHmac('sha256', this.sessionKey).update(data).digest();
  }
}
