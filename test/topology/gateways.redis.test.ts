import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgSnapshotStore, RedisStreamLog } from '@matchbox/log';
import { REDIS_URL, Sandbox, faucet, health, intakeDrained, referenceReplay, signed, until, type User } from './harness.ts';

/**
 * The production topology's write path as separate processes on Redis + PostgreSQL: one
 * ROLE=sequencer and two ROLE=gateway children. Orders go through both gateways; one gateway is
 * SIGKILLed mid-run. Every acknowledged order must be in the surviving gateway's view and in a
 * fresh replay of the command log, and gateway replicas must have the reference state hash.
 * (Fan-out and projector processes are not part of this test yet: see apps/server/README.md.)
 */

interface Ack { readonly user: User; readonly orderId: number; readonly clientOrderId: string; readonly via: string }

const sandbox = new Sandbox();
let commandLog: RedisStreamLog;


beforeAll(async () => {
  await sandbox.create();
  commandLog = await RedisStreamLog.open({ redis: REDIS_URL, prefix: `${sandbox.prefix}:commands` });
  // A consumer cursor at 0 keeps the sequencer from trimming, so the test can replay from genesis
  // (snapshots are still taken every 200 commands and used by gateways that start later).
  // (commitCursor only moves forward from an absent 0, so register it directly.)
  await commandLog.redis.hset(commandLog.cursorKey, 'topology-test', '0');
});

afterAll(async () => {
  await sandbox.killAll();
  await commandLog?.close();
  await sandbox.drop();
});

describe('production topology: ROLE=sequencer + 2 × ROLE=gateway on Redis + PostgreSQL', () => {
  it('loses no acknowledged order when a gateway is SIGKILLed mid-run; replicas equal a reference replay', async () => {
    const sequencer = sandbox.start('sequencer', 'sequencer', { SNAPSHOT_EVERY_COMMANDS: '200' });
    const gwA = sandbox.start('gateway-a', 'gateway');
    const gwB = sandbox.start('gateway-b', 'gateway');
    const [, urlA, urlB] = await Promise.all([sequencer.url, gwA.url, gwB.url]);

    // Users made through both gateways; each one is known everywhere once both replicas caught up.
    const deposits = { USDT: '10000000', BTC: '1000' };
    const users = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => faucet(i % 2 === 0 ? urlA! : urlB!, deposits)));
    const last = await commandLog.lastSeq();
    for (const url of [urlA!, urlB!]) await until('replicas to apply the faucet commands', async () => ((await health(url)).lastSeq >= last ? true : undefined));

    const acks: Ack[] = [];
    const unknown: string[] = [];
    let aAlive = true;
    let n = 0;
    const KILL_AFTER = 150;
    const STOP_AFTER = 500;
    const worker = async (w: number): Promise<void> => {
      const user = users[w % users.length]!;
      for (let k = 0; acks.length < STOP_AFTER; k++) {
        // Alternate gateways while A lives; only B afterwards.
        const viaA = aAlive && (w + k) % 2 === 0;
        const url = viaA ? urlA! : urlB!;
        const clientOrderId = `w${w}-${k}-${++n}`;
        const side = (w + k) % 2 === 0 ? 'BUY' : 'SELL';
        const price = (30_000 + ((k * 7 + w * 3) % 21) - 10).toFixed(2);
        try {
          const r = await signed(url, user, 'POST', '/api/v3/order', {
            symbol: 'BTCUSDT', side, type: 'LIMIT', timeInForce: 'GTC', quantity: '0.00100', price, newClientOrderId: clientOrderId,
          });
          if (r.status === 200) acks.push({ user, orderId: r.body.orderId as number, clientOrderId, via: viaA ? 'A' : 'B' });
          else if (r.body.code === -1007) unknown.push(clientOrderId);
          else throw new Error(`unexpected answer ${r.status} ${JSON.stringify(r.body)}`);
        } catch (err) {
          // A connection cut by the kill: the outcome is unknown to the client, never acknowledged.
          if (viaA && !aAlive) unknown.push(clientOrderId);
          else throw err;
        }
        if (aAlive && acks.length >= KILL_AFTER) {
          aAlive = false;
          await gwA.kill();
        }
      }
    };
    await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((w) => worker(w)));
    expect(gwA.running).toBe(false);
    expect(acks.filter((a) => a.via === 'A').length).toBeGreaterThan(0);
    expect(acks.filter((a) => a.via === 'B').length).toBeGreaterThan(0);

    // Quiesce: the sequencer has read and acked the whole intake (including what A sent before it
    // died), and the sequencer and B are at the end of the command log.
    const settled = await until('the sequencer and gateway B to settle', async () => {
      if (!(await intakeDrained(commandLog.redis, sandbox.prefix))) return undefined;
      const logLast = await commandLog.lastSeq();
      const [s, b] = await Promise.all([health(await sequencer.url), health(urlB!)]);
      return s.lastSeq === logLast && b.lastSeq === logLast ? logLast : undefined;
    });

    // 1. Every acknowledged order is in the surviving gateway's view, as acknowledged.
    for (const a of acks) {
      const r = await signed(urlB!, a.user, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', orderId: String(a.orderId) });
      expect(r.status, `${a.clientOrderId} via ${a.via}`).toBe(200);
      expect(r.body.clientOrderId).toBe(a.clientOrderId);
    }

    // 2. ... and in a fresh replay of the command log; no request was sequenced twice.
    const ref = await referenceReplay(commandLog, settled);
    expect(ref.lastSeq).toBe(settled);
    for (const a of acks) expect(ref.orders.get(a.orderId), a.clientOrderId).toEqual({ userId: a.user.userId, clientOrderId: a.clientOrderId });
    expect(new Set(ref.requestIds).size).toBe(ref.requestIds.length);

    // 3. A gateway started now boots from the newest snapshot + log and reaches the same state.
    const snapshots = await PgSnapshotStore.open({ connection: sandbox.databaseUrl });
    const snapshotSeq = (await snapshots.list())[0]?.seq ?? 0;
    await snapshots.close();
    expect(snapshotSeq).toBeGreaterThan(0);
    const gwC = sandbox.start('gateway-c', 'gateway');
    const urlC = await gwC.url;
    await until('gateway C to catch up', async () => ((await health(urlC)).lastSeq === settled ? true : undefined));
    const one = acks[acks.length - 1]!;
    expect((await signed(urlC, one.user, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', orderId: String(one.orderId) })).body.clientOrderId).toBe(one.clientOrderId);

    // 4. Replica state hashes (logged on clean shutdown) equal the reference replay.
    for (const gw of [gwB, gwC]) {
      expect(await gw.stop()).toBe(0);
      const [line] = gw.logLines('gateway: replica stopped cleanly');
      expect(line, gw.tail()).toBeDefined();
      expect(line!.lastSeq).toBe(settled);
      expect(line!.stateHash).toBe(ref.stateHash);
    }
    expect(await sequencer.stop()).toBe(0);
    const after = await PgSnapshotStore.open({ connection: sandbox.databaseUrl });
    const final = (await after.list())[0]!;
    await after.close();
    expect(final.seq).toBe(settled);
    expect(final.stateHash).toBe(ref.stateHash);
  });
});
