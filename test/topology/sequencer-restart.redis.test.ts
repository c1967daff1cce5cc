import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgSnapshotStore, RedisStreamLog } from '@matchbox/log';
import { REDIS_URL, Sandbox, faucet, health, intakeDrained, referenceReplay, signed, until, type User } from './harness.ts';

/**
 * The sequencer is SIGKILLed mid-run under load through two gateways and a new one is started:
 * it takes over the writer lock when the dead one's expires, re-reads the intake entries the dead
 * one had taken but not acked (dropping those already in the log by request id), and the
 * gateways answer the requests that waited meanwhile. Nothing acknowledged is lost, nothing is
 * sequenced twice, and the replicas equal a replay.
 */

interface Ack { readonly user: User; readonly orderId: number; readonly clientOrderId: string }

const sandbox = new Sandbox();
let commandLog: RedisStreamLog;


beforeAll(async () => {
  await sandbox.create();
  commandLog = await RedisStreamLog.open({ redis: REDIS_URL, prefix: `${sandbox.prefix}:commands` });
  await commandLog.redis.hset(commandLog.cursorKey, 'topology-test', '0'); // no trimming: replay from genesis
});

afterAll(async () => {
  await sandbox.killAll();
  await commandLog?.close();
  await sandbox.drop();
});

describe('production topology: sequencer crash', () => {
  it('a SIGKILLed sequencer is replaced without losing or duplicating anything', async () => {
    const seqEnv = { SNAPSHOT_EVERY_COMMANDS: '100' };
    let sequencer = sandbox.start('sequencer-1', 'sequencer', seqEnv);
    const gwEnv = { GATEWAY_TIMEOUT_MS: '60000' }; // long enough to outlast the restart below
    const gwA = sandbox.start('gateway-a', 'gateway', gwEnv);
    const gwB = sandbox.start('gateway-b', 'gateway', gwEnv);
    const [, urlA, urlB] = await Promise.all([sequencer.url, gwA.url, gwB.url]);
    const urls = [urlA!, urlB!];

    const users = await Promise.all([0, 1, 2, 3].map((i) => faucet(urls[i % 2]!, { USDT: '10000000', BTC: '1000' })));
    const last = await commandLog.lastSeq();
    for (const url of urls) await until('replicas to apply the faucet commands', async () => ((await health(url)).lastSeq >= last ? true : undefined));

    const acks: Ack[] = [];
    const other: string[] = [];
    let killed = false;
    let n = 0;
    const worker = async (w: number): Promise<void> => {
      const user = users[w % users.length]!;
      for (let k = 0; acks.length < 400; k++) {
        const clientOrderId = `s${w}-${k}-${++n}`;
        const r = await signed(urls[(w + k) % 2]!, user, 'POST', '/api/v3/order', {
          symbol: 'BTCUSDT', side: (w + k) % 2 === 0 ? 'BUY' : 'SELL', type: 'LIMIT', timeInForce: 'GTC',
          quantity: '0.00100', price: (30_000 + ((k * 5 + w) % 11) - 5).toFixed(2), newClientOrderId: clientOrderId,
        });
        if (r.status === 200) acks.push({ user, orderId: r.body.orderId as number, clientOrderId });
        else other.push(`${r.status} ${JSON.stringify(r.body)}`);
        if (!killed && acks.length >= 120) {
          killed = true;
          await sequencer.kill();
          sequencer = sandbox.start('sequencer-2', 'sequencer', seqEnv);
        }
      }
    };
    await Promise.all([0, 1, 2, 3, 4, 5].map((w) => worker(w)));
    expect(killed).toBe(true);
    // Requests that waited through the restart were answered, not failed.
    expect(other).toEqual([]);

    const settled = await until('the new sequencer and both gateways to settle', async () => {
      if (!(await intakeDrained(commandLog.redis, sandbox.prefix))) return undefined;
      const logLast = await commandLog.lastSeq();
      const hs = await Promise.all([await sequencer.url, ...urls].map((u) => health(u)));
      return hs.every((h) => h.lastSeq === logLast) ? logLast : undefined;
    }, 60_000);

    const ref = await referenceReplay(commandLog, settled);
    expect(new Set(ref.requestIds).size).toBe(ref.requestIds.length);
    for (const a of acks) expect(ref.orders.get(a.orderId), a.clientOrderId).toEqual({ userId: a.user.userId, clientOrderId: a.clientOrderId });
    for (const [i, a] of acks.entries()) {
      const r = await signed(urls[i % 2]!, a.user, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', orderId: String(a.orderId) });
      expect(r.status, a.clientOrderId).toBe(200);
      expect(r.body.clientOrderId).toBe(a.clientOrderId);
    }

    for (const gw of [gwA, gwB]) {
      expect(await gw.stop()).toBe(0);
      const [line] = gw.logLines('gateway: replica stopped cleanly');
      expect(line, gw.tail()).toBeDefined();
      expect(line!.lastSeq).toBe(settled);
      expect(line!.stateHash).toBe(ref.stateHash);
    }
    expect(await sequencer.stop()).toBe(0);
    const snapshots = await PgSnapshotStore.open({ connection: sandbox.databaseUrl });
    const final = (await snapshots.list())[0]!;
    await snapshots.close();
    expect(final.seq).toBe(settled);
    expect(final.stateHash).toBe(ref.stateHash);
  });
});
