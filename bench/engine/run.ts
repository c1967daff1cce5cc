/**
 * bench:engine — the workloads of BENCHMARKS.md (mix A, mix B; 1 and 3 symbols) through the full
 * engine and through the peer nodejs-order-book, on the same pre-generated streams in the same
 * process. Prints a table, then one JSON line with every figure (the very last line).
 *
 *   npm run bench:engine                      (node --expose-gc --import tsx bench/engine/run.ts)
 *   … run.ts --engine=standin                 the matching-only stand-in instead of @matchbox/engine
 *   … run.ts --count=200000 --runs=1          a quick look
 *   … run.ts --full                           also the peer on mix A with 3 symbols (~+20 s)
 *   … run.ts --repeat-cancels                 cancelled orders stay in the cancel pool
 *   … run.ts --cases=B --skip-peer --skip-memory   engine only, e.g. under node --cpu-prof
 *   … run.ts --budget-s=110                   optional passes are skipped past this (default 110)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Engine } from '@matchbox/engine';
import type { Command, MarketConfig } from '@matchbox/domain';
import type { BenchEngineFactory } from './bench-engine.ts';
import { timerFloor, type LatencySummary } from './latency.ts';
import { benchMarkets, setupCommands } from './markets.ts';
import { latencyEngine, readyEngine, timeEngine, type EngineCheck, type LatencyByKind } from './measure-engine.ts';
import { runPeer } from './measure-peer.ts';
import { engineMemory, MEMORY_ORDERS, peerMemory, type MemoryResult } from './memory.ts';
import { Progress } from './progress.ts';
import { checkResults, evaluateTargets, printReport } from './report.ts';
import type { BenchResults, PeerResult, WorkloadResult } from './results.ts';
import { StandInEngine } from './stand-in.ts';
import { engineCommands, peerOps } from './streams.ts';
import { generateWorkload, kindCounts, MIX_A, MIX_B, USER_COUNT, WORKLOAD_SEED, type MixSpec, type Workload } from './workload.ts';

const { values: args } = parseArgs({
  options: {
    engine: { type: 'string', default: 'matchbox' },
    count: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    full: { type: 'boolean', default: false },
    'repeat-cancels': { type: 'boolean', default: false },
    cases: { type: 'string', default: 'A,B,A3,B3' },
    'skip-peer': { type: 'boolean', default: false },
    'skip-memory': { type: 'boolean', default: false },
    'budget-s': { type: 'string', default: '110' },
  },
});
const COUNT = Number(args.count);
const RUNS = Number(args.runs);
/**
 * Optional passes (extra runs, the 3-symbol peer) are skipped when they would end past this:
 * on a quiet machine everything fits, on a busy one the bench still ends near 2 minutes.
 */
const BUDGET_S = Number(args['budget-s']);
/** Seconds kept free during the 1-symbol cases for memory and the 3-symbol engine passes. */
const LATER_PHASES_S = 25;
/** A run slower than this means a slow engine: take one run so the bench stays under 2 minutes. */
const SLOW_RUN_S = 5;

/**
 * Peer plans: 'timed-once' one pass timed per operation (mix A: the peer needs ~40 s for it, its
 * cancels re-index whole price levels); 'runs' that pass plus plain passes while the budget
 * allows; 'optional' like 'runs' but skipped when its first pass would not fit the budget.
 */
interface Case { readonly name: string; readonly mix: MixSpec; readonly symbols: number; readonly peer: 'timed-once' | 'runs' | 'optional' | 'skip' }
const CASES: readonly Case[] = [
  { name: 'A', mix: MIX_A, symbols: 1, peer: 'timed-once' },
  { name: 'B', mix: MIX_B, symbols: 1, peer: 'runs' },
  { name: 'A3', mix: MIX_A, symbols: 3, peer: args.full ? 'timed-once' : 'skip' },
  { name: 'B3', mix: MIX_B, symbols: 3, peer: 'optional' },
];

function chooseEngine(): { name: string; factory: BenchEngineFactory } {
  if (args.engine === 'standin') {
    return { name: 'stand-in (bench/engine/stand-in.ts, matching only)', factory: (m) => new StandInEngine(m) };
  }
  return { name: '@matchbox/engine (full: accounts, locks, fees, events)', factory: (m) => new Engine(m) };
}

/** The commit the engine was measured at, and whether engine or domain had uncommitted changes. */
function engineRevision(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages/engine/src', 'packages/domain/src'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} + uncommitted changes in packages/engine/src or packages/domain/src` : head;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/** The peer's installed version, for the report. */
function peerVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../node_modules/nodejs-order-book/package.json', import.meta.url), 'utf8')) as { version: string };
  return `nodejs-order-book ${pkg.version}`;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function gc(): void {
  if (globalThis.gc === undefined) throw new Error('run with node --expose-gc (npm run bench:engine does)');
  globalThis.gc();
}

/** Whether a phase of `estimateS` still fits the time budget, keeping `reserveS` for later phases. */
function fits(progress: Progress, estimateS: number, reserveS: number): boolean {
  return progress.elapsedS() + estimateS + reserveS <= BUDGET_S;
}

const perS = (x: number): string => `${Math.round(x).toLocaleString('en-US')} cmd/s`;

interface EngineFigures { readonly runs: number[]; readonly latency: LatencySummary; readonly byKind: LatencyByKind; readonly check: EngineCheck }

/** Warm-up, throughput runs (fresh engine each), then the latency pass on a fresh engine. */
function benchEngine(label: string, factory: BenchEngineFactory, markets: MarketConfig[], setup: Command[], commands: Command[],
  reserveS: number, progress: Progress): EngineFigures {
  progress.phase(`${label}: engine warm-up`, Math.min(COUNT, 200_000));
  timeEngine(readyEngine(factory, markets, setup), commands.slice(0, 200_000), progress);
  progress.end();
  const runs: number[] = [];
  for (let r = 1; r <= RUNS; r++) {
    gc();
    const ready = readyEngine(factory, markets, setup);
    progress.phase(`${label}: engine run ${r}/${RUNS}`, COUNT);
    const run = timeEngine(ready, commands, progress);
    runs.push(run.commandsPerS);
    progress.end(perS(run.commandsPerS));
    if (run.seconds > SLOW_RUN_S || !fits(progress, 2.5 * run.seconds, reserveS)) break;
  }
  gc();
  const ready = readyEngine(factory, markets, setup);
  progress.phase(`${label}: engine latency pass`, COUNT);
  const { latency, byKind, check } = latencyEngine(ready, commands, progress);
  progress.end(`p99 ${latency.p99Us} µs, ${check.openOrders} resting`);
  return { runs, latency, byKind, check };
}

/** Seconds the peer's timed pass took per mix, to judge whether another pass fits the budget. */
const peerPassS = new Map<string, number>();

/**
 * The peer: first a pass timing every operation (latency, and the cross-check of cancels and
 * resting orders), then plain throughput passes while the budget allows. Its throughput is the
 * median of the plain passes, or the timed pass when there was none (marked * in the table).
 */
function benchPeer(label: string, c: Case, w: Workload, reserveS: number, progress: Progress): PeerResult | null {
  if (args['skip-peer'] || c.peer === 'skip') return null;
  const known = peerPassS.get(c.mix.name);
  if (c.peer === 'optional' && known !== undefined && !fits(progress, known, reserveS)) return null;
  const ops = peerOps(w);
  gc();
  progress.phase(`${label}: peer pass timed per op`, COUNT);
  const timed = runPeer(ops, c.symbols, true, progress);
  progress.end(`${perS(timed.commandsPerS)}, ${timed.openOrders} resting`);
  peerPassS.set(c.mix.name, timed.seconds);
  const plain: number[] = [];
  for (let r = 1; r <= RUNS - 1 && c.peer !== 'timed-once' && fits(progress, 1.2 * timed.seconds, reserveS); r++) {
    gc();
    progress.phase(`${label}: peer run ${r}/${RUNS - 1}`, COUNT);
    const run = runPeer(ops, c.symbols, false, progress);
    plain.push(run.commandsPerS);
    progress.end(perS(run.commandsPerS));
  }
  return {
    commandsPerS: plain.length > 0 ? median(plain) : timed.commandsPerS,
    runsCommandsPerS: plain.length > 0 ? plain : [timed.commandsPerS], runsTimedPerOp: plain.length === 0,
    latency: timed.latency, cancelMisses: timed.cancelMisses, openOrders: timed.openOrders,
  };
}

function benchCase(c: Case, factory: BenchEngineFactory, reserveS: number, progress: Progress): WorkloadResult {
  const label = `mix ${c.mix.name}/${c.symbols}`;
  progress.phase(`${label}: generate`, 1);
  const markets = benchMarkets(c.symbols);
  const setup = setupCommands(markets, USER_COUNT);
  const w = generateWorkload({ mix: c.mix, count: COUNT, seed: WORKLOAD_SEED, symbolCount: c.symbols, repeatCancels: args['repeat-cancels'] });
  const commands = engineCommands(w, markets);
  progress.end();
  const engine = benchEngine(label, factory, markets, setup, commands, reserveS, progress);
  const peer = benchPeer(label, c, w, reserveS, progress);
  const engineCommandsPerS = median(engine.runs);
  return {
    name: c.name, mix: c.mix.name, symbols: c.symbols, commands: COUNT, kinds: kindCounts(w),
    engineCommandsPerS, engineRunsCommandsPerS: engine.runs, engineLatency: engine.latency, engineLatencyByKind: engine.byKind, engineCheck: engine.check,
    peer, ratio: peer === null ? null : engineCommandsPerS / peer.commandsPerS,
  };
}

function measureMemory(factory: BenchEngineFactory, progress: Progress): { engine: MemoryResult; peer: MemoryResult | null } {
  const markets = benchMarkets(1);
  const setup = setupCommands(markets, USER_COUNT);
  progress.phase(`memory: engine, ${MEMORY_ORDERS.toLocaleString('en-US')} resting`, MEMORY_ORDERS);
  const engine = engineMemory(factory, markets, setup, progress);
  progress.end(`${engine.bytesPerOrder} B/order`);
  if (args['skip-peer']) return { engine, peer: null };
  progress.phase(`memory: peer, ${MEMORY_ORDERS.toLocaleString('en-US')} resting`, MEMORY_ORDERS);
  const peer = peerMemory(progress);
  progress.end(`${peer.bytesPerOrder} B/order`);
  return { engine, peer };
}

function main(): void {
  const progress = new Progress();
  const loadAvg1mStart = round2(os.loadavg()[0]!);
  const engine = chooseEngine();
  const floor = timerFloor();
  const wanted = new Set(args.cases.split(','));
  const workloads: WorkloadResult[] = [];
  // One-symbol cases and memory first: they carry the targets.
  for (const c of CASES.slice(0, 2)) if (wanted.has(c.name)) workloads.push(benchCase(c, engine.factory, LATER_PHASES_S, progress));
  const memory = args['skip-memory'] ? null : measureMemory(engine.factory, progress);
  for (const c of CASES.slice(2)) if (wanted.has(c.name)) workloads.push(benchCase(c, engine.factory, 0, progress));

  const failures = checkResults(workloads, memory?.engine ?? null);
  const results: BenchResults = {
    bench: 'engine', engine: engine.name, engineRevision: engineRevision(), peer: peerVersion(),
    machine: {
      node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown', cpus: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30),
      loadAvg1mStart, loadAvg1mEnd: round2(os.loadavg()[0]!),
    },
    seed: WORKLOAD_SEED, cancelPool: args['repeat-cancels'] ? 'repeat' : 'no-repeat',
    workloads, engineMemory: memory?.engine ?? null, peerMemory: memory?.peer ?? null, timerFloor: floor,
    checks: { ok: failures.length === 0, failures }, targets: evaluateTargets(workloads, memory?.engine ?? null), durationS: progress.elapsedS(),
  };
  printReport(results);
  if (failures.length > 0) process.exitCode = 1;
}

main();
