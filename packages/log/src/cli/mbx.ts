/**
 * `mbx` — time travel and audit over the command log:
 *
 *   mbx replay --data ./data --to-seq 1200     state at any seq the log holds: books and balances
 *   mbx verify --data ./data                   replay everything, check invariants and snapshots
 *
 * Both open the stores without writing to them, so they are safe next to a running sequencer.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { pino } from 'pino';
import { recover } from '../sequencer/recovery.ts';
import { MemorySnapshotStore } from '../snapshot/memory-snapshot-store.ts';
import { matchboxEngineCodec } from '../sequencer/engine-binding.ts';
import { openSources, UsageError, type SourceOptions } from './sources.ts';
import { renderState } from './render.ts';
import { verifyLog } from './verify.ts';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn', base: { tool: 'mbx' } }, pino.destination(2));

function withSources(cmd: Command): Command {
  return cmd
    .option('--data <dir>', "the server's DATA_DIR (<dir>/commands, <dir>/events and <dir>/snapshots)")
    .option('--journal <dir>', 'command journal directory')
    .option('--redis <url>', 'Redis URL of the command stream')
    .option('--prefix <prefix>', "the server's REDIS_PREFIX (default matchbox; the stream is <prefix>:commands)")
    .option('--snapshots <dir>', 'snapshot directory')
    .option('--pg <url>', 'PostgreSQL URL of the snapshot table')
    .option('--pg-table <name>', 'snapshot table name');
}

function count(name: string, min: number) {
  return (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) throw new InvalidArgumentError(`${name} must be a whole number ≥ ${min}`);
    return Number(v);
  };
}

const program = new Command('mbx').description('Matchbox command-log tools').exitOverride();

withSources(program.command('replay'))
  .description('rebuild the state at a sequence number and print books and balances')
  .addOption(new Option('--to-seq <n>', 'last command to apply (default: the end of the log)').argParser(count('--to-seq', 0)))
  .option('--depth <n>', 'book levels per side', count('--depth', 1), 10)
  .option('--from-genesis', 'ignore snapshots and replay from the first command')
  .action(async (o: SourceOptions & { toSeq?: number; depth: number; fromGenesis?: boolean }) => {
    const src = await openSources(o);
    try {
      const snapshots = o.fromGenesis ? new MemorySnapshotStore() : src.snapshots;
      const r = await recover({ commandLog: src.commandLog, snapshots, codec: matchboxEngineCodec(), toSeq: o.toSeq, discardCorrupt: false, logger });
      console.log(`from ${r.snapshot ? `snapshot ${r.snapshot.seq}` : 'genesis'}, replayed ${r.replayedCommands} commands`);
      console.log(renderState(r.engine, o.depth));
      if (o.toSeq !== undefined && r.engine.lastSeq < o.toSeq) {
        console.error(`mbx: the log ends at seq ${r.engine.lastSeq}, before --to-seq ${o.toSeq}: the state shown is at ${r.engine.lastSeq}`);
        process.exitCode = 1;
      }
    } finally {
      await src.close();
    }
  });

withSources(program.command('verify'))
  .description('replay the whole log, check invariants and every snapshot; exit 1 on any problem')
  .option('--invariants-every <n>', 'check invariants every n commands', count('--invariants-every', 1), 10_000)
  .option('--no-progress', 'no progress bar')
  .action(async (o: SourceOptions & { invariantsEvery: number; progress: boolean }) => {
    const src = await openSources(o);
    const bar = new cliProgress.SingleBar({ format: 'verify [{bar}] {percentage}% | seq {value}/{total} | {eta_formatted} left', stream: process.stderr }, cliProgress.Presets.shades_classic);
    try {
      const report = await verifyLog({
        commandLog: src.commandLog, snapshots: src.snapshots, codec: matchboxEngineCodec(), invariantsEvery: o.invariantsEvery,
        onStart: (from, to) => { if (o.progress) bar.start(to, from); },
        onProgress: (seq) => { if (o.progress) bar.update(seq); },
      });
      bar.stop();
      const tail = src.invalidTail;
      if (tail !== null && tail.validRecordAfter !== null) {
        report.problems.push(`command journal ${tail.segment}: ${tail.reason} at byte ${tail.offset}, yet a valid record (seq ${tail.validRecordAfter}) follows: the journal is damaged, and what follows the damage was not verified`);
      } else if (tail !== null) {
        console.log(`note: the last ${tail.bytes} bytes of ${tail.segment} are not a whole record (${tail.reason}): a write torn by a crash, which the server cuts off when it next starts, or one in progress`);
      }
      if (report.lastSeq === 0) report.problems.push('the command log is empty: check --data, --journal or --redis/--prefix');
      if (src.eventLastSeq !== null && src.eventLastSeq > report.lastSeq) {
        report.problems.push(`the event journal reaches seq ${src.eventLastSeq}, past the command journal's end (${report.lastSeq}): events are written only after their commands are durable, so acknowledged commands are missing`);
      }
      console.log(`verified seq ${report.fromSeq + 1}..${report.lastSeq}: ${report.commands} commands, ${report.snapshotsChecked} snapshots, ${report.invariantChecks} invariant checks, state hash ${report.stateHash}`);
      for (const p of report.problems) console.log(`PROBLEM ${p}`);
      console.log(report.problems.length === 0 ? 'OK' : `FAILED: ${report.problems.length} problems`);
      process.exitCode = report.problems.length === 0 ? 0 : 1;
    } finally {
      bar.stop();
      await src.close();
    }
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Commander printed it already (bad option, bad value, unknown command; or --help).
    process.exit(err.exitCode === 0 ? 0 : 2);
  }
  // One line for the user, not a stack trace: a usage mistake (exit 2) or what stopped the tool (exit 1).
  console.error(`mbx: ${(err as Error).message}`);
  // exit() rather than exitCode: a connection a failed step left open must not keep the tool alive.
  process.exit(err instanceof UsageError ? 2 : 1);
}
