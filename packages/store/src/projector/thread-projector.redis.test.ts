import { randomBytes } from 'node:crypto';
import { DEFAULT_MARKETS } from '@matchbox/domain';
import { capturingLogger } from '@matchbox/log';
import { describe, expect, it } from 'vitest';
import { ThreadProjector } from './thread-projector.ts';

const REDIS_URL = process.env.MATCHBOX_TEST_REDIS ?? 'redis://127.0.0.1:6379';

describe('ThreadProjector', () => {
  it('keeps retrying while the database refuses connections, without failing, and stops promptly', async () => {
    const { logger, lines } = capturingLogger('info');
    const tp = new ThreadProjector({
      // Port 1 on loopback: nothing listens, every connection is refused at once.
      databaseUrl: 'postgres://postgres@127.0.0.1:1/test', redisUrl: REDIS_URL, eventPrefix: `mbx-tp-${randomBytes(4).toString('hex')}:events`,
      markets: DEFAULT_MARKETS, logger, readCursor: () => Promise.resolve(0),
    });
    let failed: unknown = null;
    tp.done().catch((err: unknown) => { failed = err; });
    // Five failures (after backoffs of 0.2 + 0.4 + 0.8 + 1.6 s): the thread now sleeps 3.2 s before its next try.
    const retries = (): number => lines.filter((l) => l.msg === 'projector thread could not start; retrying').length;
    for (let i = 0; i < 1000 && retries() < 5; i++) await new Promise((r) => setTimeout(r, 20));
    expect(retries()).toBe(5);
    expect(failed).toBeNull();
    const t0 = performance.now();
    expect(await tp.stop(true)).toBe(0);
    expect(performance.now() - t0).toBeLessThan(1500); // the 3.2 s backoff is cut short (and the 30 s deadline never reached)
    expect(failed).toBeNull();
  }, 30_000);
});
