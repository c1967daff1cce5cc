import { describe, expect, it } from 'vitest';
import { checkInvariants, type Engine } from '@matchbox/engine';
import type { Command } from '@matchbox/domain';
import { MemoryLog } from '../memory-log.ts';
import { MemorySnapshotStore } from '../snapshot/memory-snapshot-store.ts';
import { Workload } from '../testing/workload.ts';
import { decodeEventBatch, encodeEventBatch } from '../codec/event-batch.ts';
import { capturingLogger } from '../testing/capturing-logger.ts';
import { decodeCommandBatch } from '../codec/command-batch.ts';
import type { EntryLog, LogEntry } from '../types.ts';
import { matchboxEngineCodec } from './engine-binding.ts';
import { BusyError, SequencerFailedError } from './errors.ts';
import { recover } from './recovery.ts';
import { Sequencer, type SequencerOptions } from './sequencer.ts';
import { InlineSnapshotter, type Snapshotter } from './snapshotter.ts';
import { ReplicaSnapshotter } from './replica-snapshotter.ts';

const codec = matchboxEngineCodec();

function commands(n: number, seed = 7): Command[] {
  const w = new Workload({ seed, users: 10 });
  return [...w.setup(), ...w.take(n)];
}

function sequencer(opts: Partial<SequencerOptions<Engine>> & { snapshotter?: Snapshotter } = {}) {
  const engine = opts.engine ?? codec.create();
  const commandLog = opts.commandLog ?? new MemoryLog();
  const snapshots = opts.snapshots ?? new MemorySnapshotStore();
  let tick = 1_700_000_000_000;
  const seq = new Sequencer<Engine>({
    engine, commandLog, snapshots, snapshotter: opts.snapshotter ?? new InlineSnapshotter(() => engine, codec),
    clock: () => tick++, maxBatch: 64, ...opts,
  });
  seq.start();
  return { seq, engine, commandLog, snapshots };
}

/** A reference: the same commands applied one by one to a fresh engine, with the logged seq/ts. */
async function referenceHash(log: EntryLog): Promise<string> {
  const r = await recover({ commandLog: log, snapshots: new MemorySnapshotStore(), codec });
  return r.engine.stateHash();
}

describe('Sequencer', () => {
  it('acknowledges every command in seq order, only once it is in the log, and replay reproduces the state', async () => {
    const { seq, engine, commandLog } = sequencer();
    const cmds = commands(2000);
    const acks = await Promise.all(cmds.map((c) => seq.submit(c)));
    expect(acks.map((a) => a.seq)).toEqual(cmds.map((_, i) => i + 1));
    expect(await commandLog.lastSeq()).toBe(cmds.length);
    expect(acks.some((a) => a.events.some((e) => e.type === 'trade'))).toBe(true);
    expect(checkInvariants(engine)).toEqual([]);
    expect(await referenceHash(commandLog)).toBe(engine.stateHash());
    await seq.close({ snapshot: false });
  });

  it('stores request ids next to their commands; they change neither the engine nor replay', async () => {
    const cmds = commands(600);
    const plain = sequencer();
    await Promise.all(cmds.map((c) => plain.seq.submit(c)));
    const tagged = sequencer();
    const acks = await Promise.all(cmds.map((c, i) => tagged.seq.submit(c, i % 3 === 0 ? `gw:${i}` : undefined)));
    expect(tagged.engine.stateHash()).toBe(plain.engine.stateHash());
    const seen = new Map<string, number>();
    for (const entry of await tagged.commandLog.read(0, 10_000)) {
      const batch = decodeCommandBatch(entry.payload);
      const first = entry.seq - batch.commands.length + 1;
      batch.requestIds?.forEach((id, i) => { if (id !== undefined) seen.set(id, first + i); });
    }
    expect(seen.size).toBe(Math.ceil(cmds.length / 3));
    for (const [id, s] of seen) expect(acks[Number(id.slice(3))]!.seq).toBe(s);
    expect(await referenceHash(tagged.commandLog)).toBe(plain.engine.stateHash());
    await plain.seq.close({ snapshot: false });
    await tagged.seq.close({ snapshot: false });
  });

  it('writes the events of each batch to the event log under the same seq', async () => {
    const eventLog = new MemoryLog();
    const { seq } = sequencer({ eventLog });
    const acks = await Promise.all(commands(300).map((c) => seq.submit(c)));
    await seq.close({ snapshot: false });
    const fromLog = (await eventLog.read(0, 10_000)).flatMap((e: LogEntry) => decodeEventBatch(e.payload).events);
    expect(fromLog).toEqual(acks.map((a) => a.events));
  });

  it('with eventsAfterCommands, acknowledges on the command log alone and appends events after it, in seq order', async () => {
    const commandLog = new MemoryLog();
    const inner = new MemoryLog();
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const order: string[] = [];
    let syncs = 0;
    const trace: EntryLog = Object.assign(Object.create(commandLog) as EntryLog, {
      append: (e: readonly LogEntry[]) => commandLog.append(e).then(() => { order.push(`c${e[0]!.seq}`); }),
    });
    // The event log holds every append until released: acknowledgements must not wait for it.
    const slowEvents: EntryLog = Object.assign(Object.create(inner) as EntryLog, {
      append: (e: readonly LogEntry[]) => { order.push(`e${e[0]!.seq}`); return gate.then(() => inner.append(e)); },
      sync: () => { syncs++; return Promise.resolve(); },
    });
    const { seq } = sequencer({ commandLog: trace, eventLog: slowEvents, eventsAfterCommands: true, maxBatch: 16, snapshotEveryCommands: 100 });
    const acks = await Promise.all(commands(300).map((c) => seq.submit(c)));
    expect(acks.map((a) => a.seq)).toEqual(acks.map((_, i) => i + 1));
    expect(await inner.lastSeq()).toBe(0); // acknowledged while no event entry was written yet
    // Every event append comes after its own command entry, and the appends run in seq order.
    const eSeqs = order.filter((x) => x.startsWith('e')).map((x) => Number(x.slice(1)));
    expect(eSeqs).toEqual([...eSeqs].sort((a, b) => a - b));
    for (const x of eSeqs) expect(order.indexOf(`c${x}`)).toBeLessThan(order.indexOf(`e${x}`));
    release();
    await seq.close({ snapshot: false });
    const fromLog = (await inner.read(0, 10_000)).flatMap((e: LogEntry) => decodeEventBatch(e.payload).events);
    expect(fromLog).toEqual(acks.map((a) => a.events));
    expect(syncs).toBeGreaterThan(0); // before each snapshot save
  });

  it('with eventsAfterCommands, a failed event append stops the sequencer after the acknowledgements it already gave', async () => {
    const inner = new MemoryLog();
    let calls = 0;
    const failing: EntryLog = Object.assign(Object.create(inner) as EntryLog, {
      append: (e: readonly LogEntry[]) => (++calls === 3 ? Promise.reject(new Error('EIO')) : inner.append(e)),
    });
    const { seq, commandLog } = sequencer({ eventLog: failing, eventsAfterCommands: true, maxBatch: 10 });
    const results = await Promise.allSettled(commands(100).map((c) => seq.submit(c)));
    expect((await seq.failed).cause.message).toBe('EIO');
    const acked = results.filter((r) => r.status === 'fulfilled').length;
    expect(acked).toBeLessThanOrEqual(await commandLog.lastSeq());
    await expect(seq.submit(commands(1)[0]!)).rejects.toBeInstanceOf(SequencerFailedError);
    // Recovery re-appends the events the event log lost: it ends complete and in order.
    const r = await recover({ commandLog, eventLog: inner, snapshots: new MemorySnapshotStore(), codec });
    expect(r.republishedEventEntries).toBeGreaterThan(0);
    const entries = await inner.read(0, 10_000);
    expect(entries[entries.length - 1]!.seq).toBe(await commandLog.lastSeq());
    await seq.close();
  });

  it('says busy when the intake queue is full and loses nothing it accepted', async () => {
    const { seq, commandLog } = sequencer({ intakeCapacity: 50 });
    const results = await Promise.allSettled(commands(500).map((c) => seq.submit(c)));
    const busy = results.filter((r) => r.status === 'rejected');
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(busy.length).toBeGreaterThan(0);
    expect(busy.every((r) => r.status === 'rejected' && r.reason instanceof BusyError)).toBe(true);
    expect(await commandLog.lastSeq()).toBe(ok.length);
    await seq.close({ snapshot: false });
  });

  it('snapshots every N commands, and recovery from the newest (or, if corrupt, an older) one matches a full replay', async () => {
    const snapshots = new MemorySnapshotStore();
    const { seq, engine, commandLog } = sequencer({ snapshots, snapshotEveryCommands: 400, keepSnapshots: 3 });
    // The reference: the same commands applied to a fresh engine with the seq and time stamped
    // on them (the log itself is trimmed below the oldest snapshot, so it cannot be replayed whole).
    const reference = codec.create();
    for (const c of commands(2500)) {
      const ack = await seq.submit(c);
      reference.apply(c, ack.seq, ack.tsMs);
    }
    await seq.close({ snapshot: false });
    const kept = await snapshots.list();
    expect(kept.length).toBe(3);
    expect(await commandLog.firstSeq()).toBeGreaterThan(1);
    const full = reference.stateHash();
    expect(full).toBe(engine.stateHash());
    const fromNewest = await recover({ commandLog, snapshots, codec });
    expect(fromNewest.snapshot?.seq).toBe(kept[0]!.seq);
    expect(fromNewest.engine.stateHash()).toBe(full);
    snapshots.corrupt(kept[0]!.seq);
    const fallback = await recover({ commandLog, snapshots, codec });
    expect(fallback.snapshot?.seq).toBe(kept[1]!.seq);
    expect(fallback.rejectedSnapshots.map((r) => r.seq)).toEqual([kept[0]!.seq]);
    expect(fallback.engine.stateHash()).toBe(full);
  });

  it('trims the logs only below the oldest kept snapshot and every consumer cursor', async () => {
    const commandLog = new MemoryLog();
    const eventLog = new MemoryLog();
    await eventLog.commitCursor('projector', 150);
    const { seq } = sequencer({ commandLog, eventLog, snapshotEveryCommands: 200, keepSnapshots: 2 });
    for (const c of commands(1500)) await seq.submit(c);
    await seq.close({ snapshot: false });
    expect(await commandLog.firstSeq()).toBeGreaterThan(0);
    expect(await commandLog.firstSeq()).toBeLessThanOrEqual(151 + 64);
    expect((await eventLog.read(0, 1))[0]!.seq).toBeGreaterThanOrEqual(150);
  });

  it('keeps every entry with trimLogs: false (the audit trail reaches seq 1), snapshots or not', async () => {
    const commandLog = new MemoryLog();
    const eventLog = new MemoryLog();
    const snapshots = new MemorySnapshotStore();
    const { seq } = sequencer({ commandLog, eventLog, snapshots, snapshotEveryCommands: 200, keepSnapshots: 2, trimLogs: false });
    for (const c of commands(1500)) await seq.submit(c);
    await seq.close({ snapshot: false });
    expect((await snapshots.list()).length).toBe(2);
    expect(await commandLog.firstSeq()).toBe(1);
    expect((await eventLog.read(0, 1))[0]!.seq).toBe(1);
  });

  it('takes a time-based snapshot when the exchange goes quiet, without waiting for the next batch', async () => {
    const snapshots = new MemorySnapshotStore();
    const { seq, engine } = sequencer({ snapshots, snapshotEveryMs: 30, snapshotEveryCommands: 1_000_000 });
    await Promise.all(commands(50).map((c) => seq.submit(c)));
    // No more commands: the idle loop must take the snapshot by itself.
    for (let i = 0; i < 500 && (await snapshots.list()).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await snapshots.list())[0]).toMatchObject({ seq: engine.lastSeq, stateHash: engine.stateHash() });
    await seq.close({ snapshot: false });
  });

  it('drains queued work on close and leaves a snapshot at the last seq', async () => {
    const snapshots = new MemorySnapshotStore();
    const { seq, engine } = sequencer({ snapshots });
    const pending = commands(1000).map((c) => seq.submit(c));
    await seq.close();
    const acks = await Promise.all(pending);
    expect(acks[acks.length - 1]!.seq).toBe(engine.lastSeq);
    expect((await snapshots.list())[0]).toMatchObject({ seq: engine.lastSeq, stateHash: engine.stateHash() });
    await expect(seq.submit(commands(1)[0]!)).rejects.toThrow(/not accepting/);
  });

  it('stops on a log failure and fails the unacknowledged commands instead of acknowledging them', async () => {
    // Fault injection around a real log: the 5th append fails as a full disk would.
    const inner = new MemoryLog();
    let calls = 0;
    const failing: EntryLog = Object.assign(Object.create(inner) as EntryLog, {
      append: (e: readonly LogEntry[]) => (++calls === 5 ? Promise.reject(new Error('ENOSPC')) : inner.append(e)),
    });
    const { seq } = sequencer({ commandLog: failing, maxBatch: 10 });
    const results = await Promise.allSettled(commands(200).map((c) => seq.submit(c)));
    const acked = results.filter((r) => r.status === 'fulfilled').length;
    expect(acked).toBe(await inner.lastSeq());
    expect(results.some((r) => r.status === 'rejected' && r.reason instanceof SequencerFailedError)).toBe(true);
    expect((await seq.failed).cause.message).toBe('ENOSPC');
    await seq.close();
  });

  it('takes snapshots on a replica thread that match the live engine', async () => {
    const snapshots = new MemorySnapshotStore();
    const replica = new ReplicaSnapshotter();
    await replica.init(null);
    const { seq, engine, commandLog } = sequencer({ snapshots, snapshotter: replica, snapshotEveryCommands: 500 });
    for (const c of commands(1800)) await seq.submit(c);
    await seq.close();
    const list = await snapshots.list();
    expect(list.length).toBeGreaterThanOrEqual(2);
    expect(list[0]).toMatchObject({ seq: engine.lastSeq, stateHash: engine.stateHash() });
    const older = await recover({ commandLog, snapshots, codec, toSeq: list[1]!.seq });
    expect(older.engine.stateHash()).toBe(list[1]!.stateHash);
    expect(checkInvariants(codec.decode(await snapshots.load(list[1]!.seq)))).toEqual([]);
  });

  it('with eventsAfterCommands and a replica, the replica encodes the events: byte for byte what this thread would, synced before each snapshot is saved', async () => {
    const cmds = commands(1500, 11);
    const replica = new ReplicaSnapshotter();
    await replica.init(null);
    let encodedByReplica = 0;
    const asked = replica.onBatchWithEvents.bind(replica);
    replica.onBatchWithEvents = (lastSeq, payload) => asked(lastSeq, payload).then((got) => { encodedByReplica++; return got; });
    // A memory log that records its syncs (the file journal's `sync` makes appended entries durable)
    // and everything appended (snapshots trim the logs themselves).
    let synced = 0;
    const eventLog: MemoryLog & { sync(): Promise<void> } = Object.assign(new MemoryLog(), {
      async sync(): Promise<void> { synced = await eventLog.lastSeq(); },
    });
    const appended: LogEntry[] = [];
    const append = eventLog.append.bind(eventLog);
    eventLog.append = (entries) => { appended.push(...entries); return append(entries); };
    const snapshots = new MemorySnapshotStore();
    const syncedAtSave: { seq: number; synced: number }[] = [];
    const save = snapshots.save.bind(snapshots);
    snapshots.save = (meta, bytes) => { syncedAtSave.push({ seq: meta.seq, synced }); return save(meta, bytes); };
    const { seq } = sequencer({ eventLog, eventsAfterCommands: true, snapshotter: replica, snapshots, snapshotEveryCommands: 400 });
    const acks = await Promise.all(cmds.map((c) => seq.submit(c)));
    await seq.close();

    expect(appended.length).toBeGreaterThan(1);
    expect(encodedByReplica).toBe(appended.length);
    // Each entry is exactly the encoding of the events the acknowledgements carried, in seq order.
    let next = 1;
    for (const entry of appended) {
      const n = decodeEventBatch(entry.payload).events.length;
      expect(entry.seq - n + 1).toBe(next);
      const mine = acks.slice(next - 1, entry.seq);
      expect(Buffer.from(entry.payload).equals(encodeEventBatch({ tsMs: mine[0]!.tsMs, events: mine.map((a) => a.events) }))).toBe(true);
      next = entry.seq + 1;
    }
    expect(next).toBe(cmds.length + 1);
    // The event log was synced up to each snapshot's seq before that snapshot was saved.
    expect(syncedAtSave.length).toBeGreaterThanOrEqual(2);
    for (const s of syncedAtSave) expect(s.synced).toBeGreaterThanOrEqual(s.seq);
  });

  it('with eventsAfterCommands, encodes the events itself once the replica is gone: none is lost, none out of order', async () => {
    const replica = new ReplicaSnapshotter();
    await replica.init(null);
    let refused = 0;
    const asked = replica.onBatchWithEvents.bind(replica);
    replica.onBatchWithEvents = (lastSeq, payload) => asked(lastSeq, payload).catch((err: unknown) => { refused++; throw err; });
    const eventLog = new MemoryLog();
    const { seq } = sequencer({ eventLog, eventsAfterCommands: true, snapshotter: replica, snapshotEveryCommands: 1_000_000 });
    const cmds = commands(1200, 12);
    const first = Promise.all(cmds.slice(0, 600).map((c) => seq.submit(c)));
    await replica.close(); // the worker dies with batches still waiting for their events
    const acks = [...await first, ...await Promise.all(cmds.slice(600).map((c) => seq.submit(c)))];
    await seq.close({ snapshot: false });
    expect(refused).toBeGreaterThan(0);
    const entries = await eventLog.read(0, 100_000);
    const events = entries.flatMap((e) => decodeEventBatch(e.payload).events);
    expect(entries.map((e) => e.seq)).toEqual([...entries.map((e) => e.seq)].sort((x, y) => x - y));
    expect(events).toEqual(acks.map((a) => a.events));
  });

  it('with eventsAfterCommands, uses its own encoding when the replica reports other events than the engine made, and says so', async () => {
    const replica = new ReplicaSnapshotter();
    await replica.init(null);
    const asked = replica.onBatchWithEvents.bind(replica);
    // A replica that disagrees with the engine (a bug): wrong bytes, and a count that gives it away.
    replica.onBatchWithEvents = (lastSeq, payload) => asked(lastSeq, payload).then((got) => ({ payload: new Uint8Array([1, 2, 3]), events: got.events + 1 }));
    const { logger, lines } = capturingLogger();
    const eventLog = new MemoryLog();
    const { seq } = sequencer({ eventLog, eventsAfterCommands: true, snapshotter: replica, snapshotEveryCommands: 1_000_000, logger });
    const acks = await Promise.all(commands(300, 13).map((c) => seq.submit(c)));
    await seq.close({ snapshot: false });
    await replica.close();
    const events = (await eventLog.read(0, 100_000)).flatMap((e) => decodeEventBatch(e.payload).events);
    expect(events).toEqual(acks.map((a) => a.events));
    expect(lines.filter((l) => String(l.msg).includes('snapshot replica made other events'))).toHaveLength(1);
  });
});
