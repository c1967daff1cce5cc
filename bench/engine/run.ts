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
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Engine } from '@matchbox/engine';
import type { BenchEngineFactory } from './bench-engine.ts';
import { timerFloor } from './latency.ts';
import { benchMarkets, setupCommands } from './markets.ts';
import { latencyEngine, readyEngine, timeEngine } from './measure-engine.ts';
import { runPeer } from './measure-peer.ts';
import { engineMemory, MEMORY_ORDERS, peerMemory, type MemoryResult } from './memory.ts';
import { Progress } from './progress.ts';
import { checkResults, evaluateTargets, printReport } from './report.ts';
import type { BenchResults, PeerResult, WorkloadResult } from './results.ts';
import { StandInEngine } from './stand-in.ts';
import { engineCommands, peerOps } from './streams.ts';
import { generateWorkload, kindCounts, MIX_A, MIX_B, USER_COUNT, WORKLOAD_SEED, type MixSpec } from './workload.ts';

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
  },
});
const COUNT = Number(args.count);
const RUNS = Number(args.runs);
/** A run slower than this means a slow engine: take one run so the bench stays under 2 minutes. */
const SLOW_RUN_S = 5;

interface Case { readonly name: string; readonly mix: MixSpec; readonly symbols: number; readonly peer: 'timed-once' | 'runs' | 'skip' }
const CASES: readonly Case[] = [
  // The peer needs ~40 s for mix A (its cancels re-index whole price levels): one run, timed per op.
  { name: 'A', mix: MIX_A, symbols: 1, peer: 'timed-once' },
  { name: 'B', mix: MIX_B, symbols: 1, peer: 'runs' },
  { name: 'A3', mix: MIX_A, symbols: 3, peer: args.full ? 'timed-once' : 'skip' },
  { name: 'B3', mix: MIX_B, symbols: 3, peer: 'runs' },
];

function chooseEngine(): { name: string; factory: BenchEngineFactory } {
  if (args.engine === 'standin') {
    return { name: 'stand-in (bench/engine/stand-in.ts, matching only)', factory: (m) => new StandInEngine(m) };
  }
  return { name: '@matchbox/engine (full: accounts, locks, fees, events)', factory: (m) => new Engine(m) };
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

function benchCase(c: Case, factory: BenchEngineFactory, progress: Progress): WorkloadResult {
  const label = `mix ${c.mix.name}/${c.symbols}`;
  const peerPlan = args['skip-peer'] ? 'skip' : c.peer;
  progress.phase(`${label}: generate`, 1);
  const markets = benchMarkets(c.symbols);
  const setup = setupCommands(markets, USER_COUNT);
  const w = generateWorkload({ mix: c.mix, count: COUNT, seed: WORKLOAD_SEED, symbolCount: c.symbols, repeatCancels: args['repeat-cancels'] });
  const commands = engineCommands(w, markets);
  progress.end();

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
    progress.end(`${Math.round(run.commandsPerS).toLocaleString('en-US')} cmd/s`);
    if (run.seconds > SLOW_RUN_S) break;
  }
  gc();
  const ready = readyEngine(factory, markets, setup);
  progress.phase(`${label}: engine latency pass`, COUNT);
  const { latency, check } = latencyEngine(ready, commands, progress);
  progress.end(`p99 ${latency.p99Us} µs, ${check.openOrders} resting`);

  let peer: PeerResult | null = null;
  if (peerPlan !== 'skip') {
    const ops = peerOps(w);
    const peerRuns: number[] = [];
    const plainRuns = peerPlan === 'runs' ? Math.max(1, RUNS - 1) : 0;
    for (let r = 1; r <= plainRuns; r++) {
      gc();
      progress.phase(`${label}: peer run ${r}/${plainRuns}`, COUNT);
      const run = runPeer(ops, c.symbols, false, progress);
      peerRuns.push(run.commandsPerS);
      progress.end(`${Math.round(run.commandsPerS).toLocaleString('en-US')} cmd/s`);
    }
    gc();
    progress.phase(`${label}: peer ${plainRuns === 0 ? 'run, timed per op' : 'latency pass'}`, COUNT);
    const timed = runPeer(ops, c.symbols, true, progress);
    progress.end(`${Math.round(timed.commandsPerS).toLocaleString('en-US')} cmd/s, ${timed.openOrders} resting`);
    if (plainRuns === 0) peerRuns.push(timed.commandsPerS);
    peer = {
      commandsPerS: median(peerRuns), runsCommandsPerS: peerRuns, runsTimedPerOp: plainRuns === 0,
      latency: timed.latency, cancelMisses: timed.cancelMisses, openOrders: timed.openOrders,
    };
  }
  const engineCommandsPerS = median(runs);
  return {
    name: c.name, mix: c.mix.name, symbols: c.symbols, commands: COUNT, kinds: kindCounts(w),
    engineCommandsPerS, engineRunsCommandsPerS: runs, engineLatency: latency, engineCheck: check,
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
  for (const c of CASES.slice(0, 2)) if (wanted.has(c.name)) workloads.push(benchCase(c, engine.factory, progress));
  const memory = args['skip-memory'] ? null : measureMemory(engine.factory, progress);
  for (const c of CASES.slice(2)) if (wanted.has(c.name)) workloads.push(benchCase(c, engine.factory, progress));

  const failures = checkResults(workloads, memory?.engine ?? null);
  const results: BenchResults = {
    bench: 'engine', engine: engine.name, peer: peerVersion(),
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
