import type { RecoveryResult } from './recovery.ts';
import type { PauseResult, SnapshotCost } from './snapshot.ts';

export interface LogBenchResults {
  readonly bench: 'log';
  readonly seed: number;
  readonly commands: number;
  readonly rounds: number;
  readonly machine: { cpus: number; cpu: string; node: string; loadAvg1mStart: number; loadAvg1mEnd: number };
  readonly throughput: {
    engineAlone: number; memoryLog: number; fileJournal: number; redisAofAlways: number;
    runs: Record<string, number[]>; avgBatch: Record<string, number>;
  };
  readonly recovery: { file: RecoveryResult; redis: RecoveryResult };
  readonly snapshot: { restingOrders: number; stores: SnapshotCost[] };
  readonly pause: PauseResult[];
}

const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const ms = (x: number): string => (x < 10 ? x.toFixed(2) : x.toFixed(0));

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

function mark(value: number, target: number, atMost = false): string {
  return (atMost ? value <= target : value >= target) ? 'met' : 'MISSED';
}

export function printReport(r: LogBenchResults): void {
  const t = r.throughput;
  const out: string[] = [''];
  out.push(`bench:log — ${int(r.commands)} commands (mix A shape, 1 symbol, 1,000 users, seed ${r.seed}), median of ${r.rounds} interleaved rounds`);
  out.push(`machine: ${r.machine.cpus} × ${r.machine.cpu}, Node ${r.machine.node}, load average ${r.machine.loadAvg1mStart.toFixed(1)} → ${r.machine.loadAvg1mEnd.toFixed(1)}`
    + (Math.max(r.machine.loadAvg1mStart, r.machine.loadAvg1mEnd) > r.machine.cpus / 2 ? ' (busy machine: absolute figures are noisy, ratios less so)' : ''), '');
  out.push(table([
    ['sustained throughput', 'commands/s', 'vs engine alone', 'commands/entry', 'target ≥ 500k'],
    ['engine alone (peer: the ceiling)', int(t.engineAlone), '1.00', '—', '—'],
    ['sequencer + in-memory log (peer)', int(t.memoryLog), (t.memoryLog / t.engineAlone).toFixed(2), int(t.avgBatch.memory!), '—'],
    ['sequencer + file journal, fdatasync', int(t.fileJournal), (t.fileJournal / t.engineAlone).toFixed(2), int(t.avgBatch.file!), mark(t.fileJournal, 500_000)],
    ['sequencer + Redis, AOF always', int(t.redisAofAlways), (t.redisAofAlways / t.engineAlone).toFixed(2), int(t.avgBatch.redis!), mark(t.redisAofAlways, 500_000)],
  ]), '');
  out.push(table([
    ['recovery from the log (no snapshot)', 'commands', 'seconds', 'commands/s', 'target ≤ 2 s'],
    ['file journal', int(r.recovery.file.commands), r.recovery.file.seconds.toFixed(2), int(r.recovery.file.commandsPerSec), mark(r.recovery.file.seconds, 2, true)],
    ['redis stream', int(r.recovery.redis.commands), r.recovery.redis.seconds.toFixed(2), int(r.recovery.redis.commandsPerSec), mark(r.recovery.redis.seconds, 2, true)],
  ]), '');
  out.push(table([
    [`snapshot, ${int(r.snapshot.restingOrders)} resting orders`, 'raw MB', 'stored MB', 'encode ms', 'hash ms', 'save ms', 'load ms', 'decode ms', 'write ≤ 1 s', 'load ≤ 1 s'],
    ...r.snapshot.stores.map((s) => [s.store, (s.rawBytes / 1e6).toFixed(1), (s.storedBytes / 1e6).toFixed(1), ms(s.encodeMs), ms(s.hashMs), ms(s.saveMs), ms(s.loadMs), ms(s.decodeMs),
      mark((s.encodeMs + s.saveMs) / 1000, 1, true), mark((s.loadMs + s.decodeMs) / 1000, 1, true)]),
  ]), '');
  out.push(table([
    ['intake pause while snapshotting', 'snapshots', 'capture pause ms', 'max loop stall ms', 'commands/s', 'pause ≤ 50 ms'],
    ...r.pause.map((p) => [p.mode, String(p.snapshots), ms(p.maxCapturePauseMs), ms(p.maxEventLoopStallMs), int(p.commandsPerSec), p.mode === 'none' ? '—' : mark(p.maxEventLoopStallMs, 50, true)]),
  ]), '');
  console.log(out.join('\n'));
  console.log(JSON.stringify(r));
}
