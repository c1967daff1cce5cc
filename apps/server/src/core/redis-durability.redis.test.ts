import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivateRedis, RedisStreamLog, capturingLogger, freePort } from '@matchbox/log';
import { warnUnlessDurable } from './exchange.ts';

describe('Redis persistence check at start', () => {
  let dir = '';
  let redis: PrivateRedis;
  let log: RedisStreamLog;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mbx-redis-durable-'));
    redis = new PrivateRedis(await freePort(), dir); // appendonly yes, appendfsync always
    await redis.start();
    log = await RedisStreamLog.open({ redis: `redis://127.0.0.1:${redis.port}`, prefix: 'durability:commands' });
  });
  afterAll(async () => {
    await log?.close();
    await redis?.stop('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });

  it('is quiet with appendfsync always and warns once Redis could lose acknowledged writes', async () => {
    const quiet = capturingLogger();
    await warnUnlessDurable(log, quiet.logger);
    expect(quiet.lines.filter((l) => l.level === 40)).toEqual([]);

    await log.redis.config('SET', 'appendfsync', 'everysec');
    const warned = capturingLogger();
    await warnUnlessDurable(log, warned.logger);
    expect(warned.lines).toEqual([expect.objectContaining({ level: 40, appendonly: 'yes', appendfsync: 'everysec', msg: expect.stringContaining('can lose acknowledged orders') })]);

    await log.redis.config('SET', 'appendonly', 'no');
    const none = capturingLogger();
    await warnUnlessDurable(log, none.logger);
    expect(none.lines[0]).toMatchObject({ appendonly: 'no' });
  });
});
