/**
 * The process the crash tests kill: recovers, reports what it recovered, then runs the sequencer
 * under a steady random load and prints every acknowledgement, until SIGKILL (or SIGTERM, which
 * shuts down gracefully). Output protocol on stdout, one line each:
 *
 *   READY {"lastSeq":…, "stateHash":"…", "invariants":[…], "snapshotSeq":…, "rejected":[…], "events":{…}|null}
 *   A <seq> <canonical JSON of the command>      (only after the command is durable)
 *   CLOSED {"lastSeq":…, "stateHash":"…"}
 *
 * The file kind also keeps an event journal the way the embedded mode does (not durable by itself,
 * written after the commands are acknowledged, completed by recovery); READY's `events` describes
 * it as recovery left it (event-journal.ts).
 */
import path from 'node:path';
import { pino } from 'pino';
import { checkInvariants, type Engine } from '@matchbox/engine';
import type { Command } from '@matchbox/domain';
import {
  BusyError, FileJournal, FileSnapshotStore, InlineSnapshotter, RedisStreamLog, ReplicaSnapshotter, Sequencer, Workload, matchboxEngineCodec, recover, type CommandLog,
  type EventLog,
} from '../../packages/log/src/index.ts';
import { canonical } from './canonical.ts';
import { describeEventJournal } from './event-journal.ts';

export interface ChildConfig {
  readonly kind: 'file' | 'redis';
  readonly dir: string;
  readonly redisPort?: number;
  readonly prefix?: string;
  readonly seed: number;
  readonly run: number;
  readonly snapshotEvery: number;
  /** Where snapshots are encoded: on the sequencer thread or on the replica worker. */
  readonly snapshotter?: 'inline' | 'replica';
}

const cfg = JSON.parse(process.argv[2]!) as ChildConfig;
const logger = pino({ level: 'warn', base: { role: 'crash-child', run: cfg.run } }, pino.destination(2));

async function openLog(): Promise<CommandLog> {
  if (cfg.kind === 'file') return FileJournal.open({ dir: path.join(cfg.dir, 'journal'), segmentBytes: 64 * 1024, logger });
  return RedisStreamLog.open({ redis: { host: '127.0.0.1', port: cfg.redisPort! }, prefix: cfg.prefix!, logger });
}

let out = '';
function emit(line: string): void {
  // Coalesced per tick: one write per batch of acks rather than one per command.
  if (out === '') setImmediate(() => { process.stdout.write(out); out = ''; });
  out += `${line}\n`;
}

const commandLog = await openLog();
// Small segments, so that rotation (which syncs) and trimming by whole segments both happen.
const eventLog: EventLog | undefined = cfg.kind === 'file'
  ? await FileJournal.open({ dir: path.join(cfg.dir, 'events'), segmentBytes: 64 * 1024, durable: false, logger })
  : undefined;
const snapshots = await FileSnapshotStore.open({ dir: path.join(cfg.dir, 'snapshots') });
const codec = matchboxEngineCodec();
// Installed before READY is printed: the parent may send SIGTERM as soon as it reads READY.
let stopping = false;
let stop: () => void = () => { stopping = true; };
process.on('SIGTERM', () => stop());

// The replica is fed exactly what recovery starts from and replays, so it ends where the engine does.
const replica = cfg.snapshotter === 'replica' ? new ReplicaSnapshotter() : null;
const recovered = await recover({
  commandLog, snapshots, codec, logger, ...(eventLog ? { eventLog } : {}),
  onSnapshotLoaded: async (bytes) => { await replica?.init(bytes); },
  onBatch: (lastSeq, payload) => replica?.onBatch(lastSeq, payload),
});
const engine = recovered.engine;
process.stdout.write(`READY ${JSON.stringify({
  lastSeq: engine.lastSeq, stateHash: engine.stateHash(), invariants: checkInvariants(engine),
  snapshotSeq: recovered.snapshot?.seq ?? 0, rejected: recovered.rejectedSnapshots.map((r) => r.seq),
  events: eventLog
    ? { ...await describeEventJournal(eventLog, canonical, path.join(cfg.dir, 'event-digests.json')), republished: recovered.republishedEventEntries }
    : null,
})}\n`);

const sequencer = new Sequencer<Engine>({
  engine, commandLog, ...(eventLog ? { eventLog, eventsAfterCommands: true } : {}), snapshots, snapshotter: replica ?? new InlineSnapshotter(() => engine, codec),
  snapshotEveryCommands: cfg.snapshotEvery, maxBatch: 128, intakeCapacity: 1000, logger,
});
sequencer.start();
stop = () => {
  stopping = true;
  void sequencer.close().then(async () => {
    await commandLog.close();
    await eventLog?.close();
    process.stdout.write(`${out}CLOSED ${JSON.stringify({ lastSeq: engine.lastSeq, stateHash: engine.stateHash() })}\n`, () => process.exit(0));
  });
};
if (stopping) stop();
void sequencer.failed.then((err) => {
  logger.error({ err: err.message }, 'sequencer failed; exiting so that the supervisor restarts us');
  process.stdout.write(out, () => process.exit(3));
});


const workload = new Workload({ seed: cfg.seed, users: 20, cidPrefix: `r${cfg.run}-` });
const setup = workload.setup();
// The users are the first commands of the log: (re)submit them until a run has logged them all.
const queue: Command[] = engine.lastSeq < setup.length ? [...setup] : [];
let inflight = 0;

function pump(): void {
  while (!stopping && inflight < 200) {
    const command = queue.shift() ?? workload.next();
    inflight++;
    sequencer.submit(command).then(
      (ack) => {
        inflight--;
        emit(`A ${ack.seq} ${canonical(command)}`);
        pump();
      },
      (err: unknown) => {
        inflight--;
        if (err instanceof BusyError) setTimeout(pump, 1);
      },
    );
  }
}
pump();
