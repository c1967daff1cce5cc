import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_MARKETS, type Command } from '@matchbox/domain';
import { AcknowledgedLossError, FileJournal, decodeEventBatch } from '@matchbox/log';
import { afterAll, describe, expect, it } from 'vitest';
import { Exchange } from './exchange.ts';

/** A few funded users and a stream of crossing orders on BTCUSDT. */
function workload(n: number): Command[] {
  const out: Command[] = [];
  for (let u = 1; u <= 4; u++) {
    out.push({ t: 'createUser', username: `files${u}`, passwordHash: 'x' });
    out.push({ t: 'deposit', userId: u, asset: 'USDT', amountUnits: 10_000_000 * 1e8 });
    out.push({ t: 'deposit', userId: u, asset: 'BTC', amountUnits: 1000 * 1e8 });
  }
  for (let i = 0; i < n; i++) {
    out.push({
      t: 'place', userId: 1 + (i % 4), symbol: 'BTCUSDT', side: i % 2 === 0 ? 'SELL' : 'BUY', type: 'LIMIT', timeInForce: 'GTC',
      priceTicks: 3_000_000 + (i % 7) - 3, qtyLots: 1000 + (i % 5), clientOrderId: `f${i}`, stpMode: 'NONE',
    });
  }
  return out;
}

describe('embedded exchange on files: replica snapshots and the event journal', () => {
  const dirs: string[] = [];
  afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

  it('takes snapshots on the replica thread, restarts from them, and leaves an event journal that matches every acknowledgement', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'mbx-exfiles-'));
    dirs.push(dataDir);
    const open = () => Exchange.open({ storage: { kind: 'files', dataDir }, markets: DEFAULT_MARKETS, snapshotEveryCommands: 200 });
    const first = await open();
    const commands = workload(4000);
    const acks = [];
    // In slices, so that batches end often enough for several snapshots to fall due; at least 1,000
    // commands, and on until two snapshots are saved (a snapshot falls due only at a batch's end).
    for (let i = 0; i < commands.length && (i < 1000 || first.stats().snapshots < 2); i += 50) {
      acks.push(...await Promise.all(commands.slice(i, i + 50).map((c) => first.submit(c))));
    }
    expect(acks.every((a) => !a.events.some((e) => e.type === 'rejected'))).toBe(true);
    const hash = first.engine.stateHash();
    const lastSeq = first.engine.lastSeq;
    expect(first.stats().snapshots).toBeGreaterThanOrEqual(2);
    await first.close();
    expect((await readdir(path.join(dataDir, 'snapshots'))).some((f) => f.endsWith('.bin'))).toBe(true);

    // The event journal holds, seq by seq, exactly the events each acknowledgement carried (from
    // the oldest entry it kept: logs are trimmed below the snapshots).
    const events = await FileJournal.open({ dir: path.join(dataDir, 'events'), readOnly: true });
    const bySeq = new Map<number, unknown>();
    for (let after = 0; ;) {
      const entries = await events.read(after, 256);
      if (entries.length === 0) break;
      for (const e of entries) {
        const b = decodeEventBatch(e.payload);
        b.events.forEach((ev, i) => bySeq.set(e.seq - b.events.length + 1 + i, ev));
        after = e.seq;
      }
    }
    await events.close();
    expect(Math.max(...bySeq.keys())).toBe(lastSeq);
    let compared = 0;
    for (const a of acks) {
      if (!bySeq.has(a.seq)) continue;
      expect(bySeq.get(a.seq)).toEqual(a.events);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);

    const second = await open();
    expect(second.engine.lastSeq).toBe(lastSeq);
    expect(second.engine.stateHash()).toBe(hash);
    const more = await second.submit(workload(1).pop()!);
    expect(more.seq).toBe(lastSeq + 1);
    await second.close();
  });

  it('refuses to start when a damaged command journal would lose acknowledged commands, and keeps the bytes it cut', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'mbx-exdamage-'));
    dirs.push(dataDir);
    // Far apart snapshots: the log holds everything in one segment.
    const open = () => Exchange.open({ storage: { kind: 'files', dataDir }, markets: DEFAULT_MARKETS, snapshotEveryCommands: 1_000_000 });
    const first = await open();
    const commands = workload(1500);
    for (let i = 0; i < commands.length; i += 50) await Promise.all(commands.slice(i, i + 50).map((c) => first.submit(c)));
    const acknowledged = first.engine.lastSeq;
    await first.close();

    // One flipped byte in the middle of the command journal (media damage, not a torn write), and
    // no snapshot to fall back on: opening it used to cut the journal there and start without the
    // rest, so a new user got the ids, orders and trades of the lost ones.
    await rm(path.join(dataDir, 'snapshots'), { recursive: true });
    const dir = path.join(dataDir, 'commands');
    const [segment] = (await readdir(dir)).filter((n) => n.startsWith('seg-'));
    const file = path.join(dir, segment!);
    const bytes = await readFile(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    await writeFile(file, bytes);

    // Valid records follow the damaged one: the journal refuses to open and changes nothing.
    await expect(open()).rejects.toThrow(/but a whole, valid record \(seq \d+\) follows at byte \d+: the journal is damaged/);
    expect(await readFile(file)).toEqual(bytes);

    // Cut by hand (as the message offers) or lost some other way: the event journal still shows
    // that acknowledged commands are missing, and recovery refuses too, every time.
    const cut = Math.floor(bytes.length / 2) - 200;
    await writeFile(file, bytes.subarray(0, cut));
    const refused = await open().then(() => null, (err: unknown) => err);
    expect(refused).toBeInstanceOf(AcknowledgedLossError);
    expect((refused as Error).message).toContain(`the event log reaches seq ${acknowledged}`);
    // The torn-looking rest of the last record was cut on opening, and kept beside the segment.
    const kept = (await readdir(dir)).filter((n) => n.startsWith('dropped-'));
    expect(kept).toHaveLength(1);
    expect((await stat(file)).size + (await stat(path.join(dir, kept[0]!))).size).toBe(cut);
    await expect(open()).rejects.toBeInstanceOf(AcknowledgedLossError);
  }, 60_000);
});
