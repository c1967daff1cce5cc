import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prng } from '@matchbox/domain';
import { RedisStreamLog } from '../../packages/log/src/index.ts';
import { PrivateRedis, ReferenceReplay, SequencerChild, freePort } from './harness.ts';

const SEED = Number(process.env.CRASH_SEED ?? 20_261_126);
const KILLS = 22;
const PREFIX = 'mbx-crash';

describe('crash: sequencer on Redis Streams (private redis-server, AOF always)', () => {
  let dir = '';
  let child: SequencerChild | null = null;
  let redis: PrivateRedis | null = null;
  afterEach(async () => {
    child?.kill();
    await child?.exited().catch(() => null);
    await redis?.stop('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`loses no acknowledged command over ${KILLS} SIGKILLs of the sequencer or of redis-server (seed ${SEED})`, async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mbx-crash-redis-'));
    redis = new PrivateRedis(await freePort(), dir);
    await redis.start();
    const rand = prng(SEED);
    const acked = new Map<number, string>();
    const reference = new ReferenceReplay();
    let redisKills = 0;
    let sequencerFailedCleanly = 0;
    const catchUp = async (): Promise<void> => {
      const log = await RedisStreamLog.open({ redis: { host: '127.0.0.1', port: redis!.port }, prefix: PREFIX });
      await reference.catchUp(log, acked);
      await log.close();
    };
    for (let run = 0; run <= KILLS; run++) {
      child = new SequencerChild({ kind: 'redis', dir, redisPort: redis.port, prefix: PREFIX, seed: SEED + run, run, snapshotEvery: 150 }, acked);
      const ready = await child.ready();
      expect(ready.invariants).toEqual([]);
      expect(ready.lastSeq).toBe(reference.engine.lastSeq);
      expect(ready.stateHash).toBe(reference.engine.stateHash());
      if (run === KILLS) break;
      await child.acksOrExit(20 + Math.floor(rand() * 400));
      if (run % 3 === 1) {
        // Redis dies under load: the sequencer must fail its unacknowledged commands and exit.
        await redis.stop('SIGKILL');
        redisKills++;
        const code = await child.exited(20_000).catch(() => { child!.kill(); return 'killed'; });
        expect([3, 'killed']).toContain(code);
        if (code === 3) sequencerFailedCleanly++;
        await redis.start();
      } else {
        child.kill();
        await child.exited();
      }
      child = null;
      await catchUp();
    }
    child!.kill('SIGTERM');
    const closed = await child!.closed();
    await child!.exited();
    child = null;
    await catchUp();
    expect(closed).toEqual({ lastSeq: reference.engine.lastSeq, stateHash: reference.engine.stateHash() });
    expect(reference.checkedAcks).toBeGreaterThan(KILLS * 20);
    expect(redisKills).toBeGreaterThanOrEqual(7);
    expect(sequencerFailedCleanly).toBeGreaterThan(0);
  }, 120_000); // typically 10–25 s; the margin is for a loaded CI machine, not for slow code
});
