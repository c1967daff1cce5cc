import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { describeLogConformance } from '../testing/log-conformance.ts';
import { RedisStreamLog } from './redis-stream-log.ts';
import { StreamConsumerGroup } from './stream-consumer-group.ts';

const url = process.env.MATCHBOX_TEST_REDIS ?? 'redis://127.0.0.1:6379';
const freshPrefix = (): string => `mbxtest:${randomBytes(6).toString('hex')}`;

describeLogConformance('redis streams', async () => {
  const prefix = freshPrefix();
  let current = await RedisStreamLog.open({ redis: url, prefix });
  return {
    log: current,
    reopen: async () => {
      await current.close();
      return (current = await RedisStreamLog.open({ redis: url, prefix }));
    },
    cleanup: async () => {
      await current.destroy();
      await current.close();
    },
  };
});

describe('redis stream consumer groups', () => {
  let log: RedisStreamLog | null = null;
  afterEach(async () => {
    await log?.destroy();
    await log?.close();
  });

  it('hands each entry out once, keeps unacked ones pending and lets another consumer claim them', async () => {
    log = await RedisStreamLog.open({ redis: url, prefix: freshPrefix() });
    const payload = (s: number): Uint8Array => new TextEncoder().encode(`e${s}`);
    await log.append([1, 2, 3, 4, 5].map((seq) => ({ seq, payload: payload(seq) })));
    const a = new StreamConsumerGroup(log.redis, log.streamKey, 'db', 'a');
    const b = new StreamConsumerGroup(log.redis, log.streamKey, 'db', 'b');
    await a.ensure();
    await a.ensure();
    const gotA = await a.read(3);
    expect(gotA.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect((await b.read(10)).map((e) => e.seq)).toEqual([4, 5]);
    await b.ack([4, 5]);
    expect(await a.pendingCount()).toBe(3);
    // Consumer a "dies" without acking: b takes its entries over.
    const claimed = await b.claimStale(0, 10);
    expect(claimed.map((e) => [e.seq, new TextDecoder().decode(e.payload)])).toEqual([[1, 'e1'], [2, 'e2'], [3, 'e3']]);
    expect(await b.ack(claimed.map((e) => e.seq))).toBe(3);
    expect(await a.pendingCount()).toBe(0);
    expect(await a.read(10)).toEqual([]);
  });
});

describe('redis stream log: appends below the stream top id', () => {
  it('takes a retried append as done, but fails when the entry is missing because newer ones were deleted', async () => {
    const log = await RedisStreamLog.open({ redis: url, prefix: freshPrefix() });
    try {
      const entry = (seq: number) => ({ seq, payload: new TextEncoder().encode(`c${seq}`) });
      await log.append([entry(1), entry(2), entry(3)]);
      // Entries 2 and 3 removed (as a Redis restored from an older state, or a hand, might): the
      // stream still remembers id 3-0, so an XADD of 2-0 is refused.
      await log.redis.xdel(log.streamKey, '2-0', '3-0');
      const reopened = await RedisStreamLog.open({ redis: log.redis, prefix: log.streamKey.replace(/:log$/, '') });
      expect(await reopened.lastSeq()).toBe(1);
      await expect(reopened.append([entry(2)])).rejects.toThrow(/entry 2-0 was refused as not above the stream's top id, and it is not there/);
      // A plain retry of a stored entry is still fine.
      const again = await RedisStreamLog.open({ redis: log.redis, prefix: log.streamKey.replace(/:log$/, '') });
      await log.append([entry(4)]);
      await expect(again.append([entry(4)])).resolves.toBeUndefined();
    } finally {
      await log.destroy();
      await log.close();
    }
  });
});
