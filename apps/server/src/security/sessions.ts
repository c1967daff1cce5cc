import { timingSafeEqual } from 'node:crypto';
import type { SecretBox } from './secret-box.ts';

/**
 * Web-UI sessions: a stateless bearer token `mbx1.<userId>.<expiresAtMs>.<mac>` (HMAC-SHA256
 * under a key derived from the server key). Sent as `Authorization: Bearer <token>` or in the
 * `mbx_session` cookie that login sets (HttpOnly, SameSite=Strict). Stateless means a token
 * stays valid until it expires (12 h); rotating the server key ends every session.
 */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const SESSION_COOKIE = 'mbx_session';

export class SessionTokens {
  constructor(private readonly box: SecretBox, private readonly clock: () => number) {}

  issue(userId: number): { token: string; expiresAt: number } {
    const expiresAt = this.clock() + SESSION_TTL_MS;
    const body = `mbx1.${userId}.${expiresAt}`;
    return { token: `${body}.${this.box.mac(body).toString('base64url')}`, expiresAt };
  }

  /** The user id, or null for a malformed, forged or expired token. */
  verify(token: string): number | null {
    const m = /^mbx1\.(\d{1,15})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (m === null) return null;
    const expected = this.box.mac(`mbx1.${m[1]}.${m[2]}`);
    const given = Buffer.from(m[3]!, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    if (Number(m[2]) < this.clock()) return null;
    return Number(m[1]);
  }
}
