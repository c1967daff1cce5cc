import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MARKETS, type Command } from '@matchbox/domain';
import { RedisStreamLog, decodeCommandBatch } from '@matchbox/log';
import { IntakeReader, IntakeWriter, RequestIdWindow, intakeKey } from './intake.ts';
import { SequencerRole } from './sequencer.ts';
import { REDIS_URL, Sandbox } from '../../../../test/support/sandbox.ts';

const sandbox = new Sandbox('seqrole');
const prefix = sandbox.prefix;
const storage = sandbox.storage;
let redis: Redis;
let commandLog: RedisStreamLog;

beforeAll(async () => {
  await sandbox.create();
  redis = new Redis(REDIS_URL);
  commandLog = await RedisStreamLog.open({ redis: REDIS_URL, prefix: `${prefix}:commands` });
  // A consumer at 0 keeps the final snapshots of close() from trimming the log the test reads.
  await redis.hset(commandLog.cursorKey, 'test', '0');
});

afterAll(async () => {
  await commandLog.close();
  await redis.quit();
  await sandbox.drop();
});

/** Request ids in the command log, in log order. */
async function loggedRequestIds(): Promise<string[]> {
  const ids: string[] = [];
  for (const e of await commandLog.read(0, 100_000)) for (const r of decodeCommandBatch(e.payload).requestIds ?? []) if (r !== undefined) ids.push(r);
  return ids;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const deposit = (userId: number): Command => ({ t: 'deposit', userId, asset: 'USDT', amountUnits: 100 });

describe('RequestIdWindow', () => {
  it('remembers the newest `capacity` ids', () => {
    const w = new RequestIdWindow(3);
    for (const x of ['a', 'b', 'c', 'b', 'd']) w.add(x);
    expect(['a', 'b', 'c', 'd'].map((x) => w.has(x))).toEqual([false, true, true, true]);
    expect(w.size).toBe(3);
  });
});

describe('ROLE=sequencer on the intake stream', () => {
  it('sequences each request id once: resent entries, and pending entries already in the log after a restart, are dropped', async () => {
    const writer = new IntakeWriter(redis, intakeKey(prefix), 10_000);
    const user: Command = { t: 'createUser', username: 'alice', passwordHash: 'x' };
    let role = await SequencerRole.open({ storage, markets: DEFAULT_MARKETS });
    await writer.append('gw:1', user);
    await writer.append('gw:2', deposit(1));
    await writer.append('gw:2', deposit(1)); // a gateway's resent XADD
    await until(async () => (await commandLog.lastSeq()) === 2 && role.stats().duplicatesDropped === 1);
    await role.close();
    expect(await loggedRequestIds()).toEqual(['gw:1', 'gw:2']);

    // As if a sequencer died after gw:3 was durable but before its XACK (and before reading gw:4):
    // both entries are pending for the consumer when the next process starts.
    await writer.append('gw:3', deposit(1));
    role = await SequencerRole.open({ storage, markets: DEFAULT_MARKETS });
    await until(async () => (await commandLog.lastSeq()) === 3);
    await role.close();
    await writer.append('gw:3', deposit(1));
    await writer.append('gw:4', deposit(1));
    const stale = new IntakeReader(redis, intakeKey(prefix));
    expect((await stale.next(10, 0)).map((e) => e.requestId)).toEqual(['gw:3', 'gw:4']); // delivered, never acked

    role = await SequencerRole.open({ storage, markets: DEFAULT_MARKETS });
    await until(async () => (await commandLog.lastSeq()) === 4 && role.stats().duplicatesDropped === 1);
    await role.close();
    expect(Number(((await redis.xpending(intakeKey(prefix), 'sequencer')) as unknown[])[0])).toBe(0);
    expect(await loggedRequestIds()).toEqual(['gw:1', 'gw:2', 'gw:3', 'gw:4']);
  });

  it('lets one sequencer write at a time: a second one waits for the writer lock', async () => {
    const first = await SequencerRole.open({ storage, markets: DEFAULT_MARKETS, lockTtlMs: 2000 });
    let second: SequencerRole | undefined;
    const opening = SequencerRole.open({ storage, markets: DEFAULT_MARKETS, lockTtlMs: 2000 }).then((r) => { second = r; });
    await new Promise((r) => setTimeout(r, 300));
    expect(second).toBeUndefined(); // cannot have started: the first one holds and renews the lock
    await first.close();
    await opening;
    expect(second!.health().ok).toBe(true);
    await second!.close();
  });
});
