/**
 * bench:log — the durable path: sustained commands/s through the sequencer into each durable log
 * (file journal with fdatasync; Redis Streams with AOF appendfsync always on a private
 * redis-server), recovery time for 1M commands, snapshot size and write/load time for 1M resting
 * orders, and the longest intake pause while snapshotting. Peers measured in the same run on the
 * same stream: the engine alone (the ceiling) and the sequencer over an in-memory log.
 *
 *   npm run bench:log              (BENCH_LOG_COMMANDS, BENCH_LOG_ROUNDS to change the size)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FileJournal, MemoryLog, PrivateRedis, RedisStreamLog, Workload, freePort, matchboxEngineCodec } from '../../packages/log/src/index.ts';
import { fillLog, measureRecovery, type RecoveryResult } from './recovery.ts';
import { restingBookEngine } from './resting-book.ts';
import { measureAllStores, measurePause } from './snapshot.ts';
import { measureThroughput } from './throughput.ts';
import { printReport, type LogBenchResults } from './report.ts';

const COMMANDS = Number(process.env.BENCH_LOG_COMMANDS ?? 500_000);
const ROUNDS = Number(process.env.BENCH_LOG_ROUNDS ?? 3);
const RECOVERY_COMMANDS = 1_000_000;
const RESTING_ORDERS = Number(process.env.BENCH_LOG_RESTING ?? 1_000_000);
const PG_URL = process.env.BENCH_LOG_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const SEED = 12_345;
/** Load over the big book while it is snapshotted every PAUSE_EVERY commands. */
const PAUSE_COMMANDS = 200_000;
const PAUSE_EVERY = 60_000;

/**
 * Batches of ≤ 2,048 with 4 in flight and 8,192 commands outstanding: enough to hide an fsync
 * (with 1,024/4,096 the file journal measured ~0.35M/s, with 2,048/8,192 ~0.5M/s) and small
 * enough that a batch's events die young (much bigger windows promote them out of V8's young
 * generation and the sequencer then spends more time in GC than in the engine). For the same
 * reason the script runs with --max-semi-space-size=256: measured here, sequencer + in-memory log
 * went from ~0.2M/s (V8's default 16 MB) to ~0.3M/s (128) and ~0.55M/s (256). A server should
 * run with it too.
 */
const SEQUENCER = { maxBatch: 2048, maxInflightBatches: 4, window: 8192 } as const;
const WARMUP_COMMANDS = 100_000;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const step = (msg: string): void => { process.stderr.write(`bench:log ${msg}\n`); };

const tmp = await mkdtemp(path.join(os.tmpdir(), 'mbx-bench-log-'));
const redis = new PrivateRedis(await freePort(), tmp);
const loadStart = os.loadavg()[0]!;
try {
  await redis.start();
  const redisUrl = { host: '127.0.0.1', port: redis.port };
  const workload = new Workload({ seed: SEED, users: 1000 });
  const setup = workload.setup();
  const stream = workload.take(COMMANDS);

  // Warm-up (discarded): the first pass through the engine and the sequencer runs unoptimised code.
  step('warm-up');
  {
    const warm = stream.slice(0, Math.min(WARMUP_COMMANDS, stream.length));
    const engine = matchboxEngineCodec().create();
    let seq = 0;
    for (const c of [...setup, ...warm]) engine.apply(c, ++seq, 1);
    await measureThroughput(new MemoryLog(), setup, warm, SEQUENCER);
  }
  // Throughput, interleaved rounds so that machine noise hits every configuration alike.
  const runs: Record<string, number[]> = { engine: [], memory: [], file: [], redis: [] };
  const batches: Record<string, number[]> = { memory: [], file: [], redis: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    step(`throughput round ${round}/${ROUNDS}`);
    const engine = matchboxEngineCodec().create();
    let seq = 0;
    for (const c of setup) engine.apply(c, ++seq, 1);
    const t0 = performance.now();
    for (const c of stream) engine.apply(c, ++seq, 1);
    runs.engine!.push(COMMANDS / ((performance.now() - t0) / 1000));

    const mem = await measureThroughput(new MemoryLog(), setup, stream, SEQUENCER);
    runs.memory!.push(mem.commandsPerSec);
    batches.memory!.push(mem.avgBatch);

    const dir = path.join(tmp, `journal-${round}`);
    const journal = await FileJournal.open({ dir });
    const file = await measureThroughput(journal, setup, stream, SEQUENCER);
    await journal.close();
    await rm(dir, { recursive: true, force: true });
    runs.file!.push(file.commandsPerSec);
    batches.file!.push(file.avgBatch);

    const rlog = await RedisStreamLog.open({ redis: redisUrl, prefix: `bench:${round}` });
    const red = await measureThroughput(rlog, setup, stream, SEQUENCER);
    await rlog.destroy();
    await rlog.close();
    runs.redis!.push(red.commandsPerSec);
    batches.redis!.push(red.avgBatch);
  }

  step('recovery of 1M commands');
  const recoveryStream = [...setup, ...new Workload({ seed: SEED + 1, users: 1000, cidPrefix: 'r' }).take(RECOVERY_COMMANDS - setup.length)];
  const recovery: Record<string, RecoveryResult> = {};
  const jdir = path.join(tmp, 'recovery-journal');
  const journal = await FileJournal.open({ dir: jdir });
  await fillLog(journal, recoveryStream);
  await journal.close();
  const reopened = await FileJournal.open({ dir: jdir });
  recovery.file = await measureRecovery(reopened);
  await reopened.close();
  const rlog = await RedisStreamLog.open({ redis: redisUrl, prefix: 'bench:recovery' });
  await fillLog(rlog, recoveryStream);
  recovery.redis = await measureRecovery(rlog);
  await rlog.destroy();
  await rlog.close();
  if (recovery.file.stateHash !== recovery.redis.stateHash) throw new Error('file and redis recovery disagree on the state hash');

  step(`building ${RESTING_ORDERS.toLocaleString('en-US')} resting orders`);
  const codec = matchboxEngineCodec();
  const { engine: big } = restingBookEngine(RESTING_ORDERS);
  const bigBytes = codec.encode(big);
  step('snapshot stores');
  const snapshots = await measureAllStores(big, PG_URL);
  step('intake pause: no snapshots (baseline)');
  const baseline = await measurePause('none', codec.decode(bigBytes), PAUSE_COMMANDS, PAUSE_EVERY);
  step('intake pause: inline snapshots');
  const inline = await measurePause('inline', big, PAUSE_COMMANDS, PAUSE_EVERY);
  step('intake pause: replica snapshots');
  const replica = await measurePause('replica', codec.decode(bigBytes), PAUSE_COMMANDS, PAUSE_EVERY);

  const results: LogBenchResults = {
    bench: 'log', seed: SEED, commands: COMMANDS, rounds: ROUNDS,
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? '?', node: process.version, loadAvg1mStart: loadStart, loadAvg1mEnd: os.loadavg()[0]! },
    throughput: {
      engineAlone: median(runs.engine!), memoryLog: median(runs.memory!), fileJournal: median(runs.file!), redisAofAlways: median(runs.redis!),
      runs, avgBatch: { memory: median(batches.memory!), file: median(batches.file!), redis: median(batches.redis!) },
    },
    recovery: { file: recovery.file, redis: recovery.redis },
    snapshot: { restingOrders: RESTING_ORDERS, stores: snapshots },
    pause: [baseline, inline, replica],
  };
  printReport(results);
} finally {
  await redis.stop('SIGTERM');
  await rm(tmp, { recursive: true, force: true });
}
