import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

const RENEW_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * Keeps a second ROLE=sequencer from writing the same logs: `SET key token NX PX ttl`, renewed every
 * ttl/3. A sequencer that finds the lock taken waits for it (a SIGKILLed one's lock expires after
 * `ttlMs`); one that fails to renew reports `lost` and must stop at once. This prevents the
 * common mistake (two sequencers started), but it is not a fence: a process paused longer than
 * the TTL could still append once before it notices. Run one sequencer under a supervisor.
 */
export class WriterLock {
  readonly token = randomBytes(12).toString('hex');
  private timer: NodeJS.Timeout | null = null;
  private held = false;
  private onLost: (err: Error) => void = () => {};
  readonly lost: Promise<Error> = new Promise((resolve) => { this.onLost = resolve; });

  constructor(private readonly redis: Redis, readonly key: string, private readonly ttlMs: number, private readonly logger?: Logger) {}

  async acquire(): Promise<void> {
    let warned = false;
    for (;;) {
      if ((await this.redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX')) === 'OK') break;
      if (!warned) this.logger?.warn({ key: this.key }, 'sequencer: another sequencer holds the writer lock; waiting for it to expire');
      warned = true;
      await new Promise((r) => setTimeout(r, Math.min(250, this.ttlMs / 4)));
    }
    this.held = true;
    this.timer = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    if (!this.held) return;
    let ok: unknown;
    try {
      ok = await this.redis.eval(RENEW_LUA, 1, this.key, this.token, this.ttlMs);
    } catch (err) {
      // A blip is fine while the TTL lasts; the next renewal decides.
      this.logger?.warn({ err: (err as Error).message }, 'sequencer: writer lock renewal failed');
      return;
    }
    if (ok !== 1 && this.held) {
      this.held = false;
      if (this.timer) clearInterval(this.timer);
      this.onLost(new Error(`sequencer writer lock ${this.key} lost: another sequencer may be writing`));
    }
  }

  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (!this.held) return;
    this.held = false;
    await this.redis.eval(RELEASE_LUA, 1, this.key, this.token).catch(() => {});
  }
}
