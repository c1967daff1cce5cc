/**
 * bench:history — the heap the in-memory history needs as an exchange runs: the engine and a
 * `MemoryHistory` fed the same seeded stream (mix A shape, 400 users, 2,000,000 commands), heap
 * measured after a full GC every 250,000 commands. Peer: the same history bounded per user only
 * (10,000 orders and trades per user, no cap across users — the bound before the overall caps).
 *
 *   npm run bench:history [-- --commands N] [-- --users N]
 *
 * Needs --expose-gc (the npm script passes it). Prints a table, then one JSON line. About a minute.
 */
import cliProgress from 'cli-progress';
import { DEFAULT_MARKETS } from '@matchbox/domain';
import { Engine } from '@matchbox/engine';
import { Workload } from '@matchbox/log';
import { DEFAULT_MEMORY_LIMITS, MemoryHistory, type MemoryHistoryLimits } from './memory-history.ts';

const argv = process.argv.slice(2);
const arg = (name: string, def: number): number => {
  const i = argv.indexOf(name);
  const v = i >= 0 ? Number(argv[i + 1]) : def;
  if (!Number.isSafeInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
};
const COMMANDS = arg('--commands', 2_000_000);
const USERS = arg('--users', 400);
const STEP = 250_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc (npm run bench:history does)');

interface Point { readonly commands: number; readonly heapMB: number; readonly orders: number; readonly userTrades: number }

function run(label: string, limits: Partial<MemoryHistoryLimits>): Point[] {
  const engine = new Engine(DEFAULT_MARKETS);
  const w = new Workload({ seed: 7, users: USERS });
  let seq = 0;
  for (const c of w.setup()) engine.apply(c, ++seq, 1);
  const history = new MemoryHistory(limits);
  const points: Point[] = [];
  const bar = new cliProgress.SingleBar({ format: `${label.padEnd(26)} [{bar}] {percentage}% {value}/{total}`, stream: process.stderr }, cliProgress.Presets.shades_classic);
  bar.start(COMMANDS, 0);
  let ts = 1_700_000_000_000;
  for (let done = 0; done < COMMANDS;) {
    const n = Math.min(STEP, COMMANDS - done);
    for (const c of w.take(n)) {
      const events = engine.apply(c, ++seq, ts);
      history.apply(seq, ts++, events);
    }
    done += n;
    gc!();
    const size = history.size;
    points.push({ commands: done, heapMB: Math.round(process.memoryUsage().heapUsed / 1e6), orders: size.orders, userTrades: size.userTrades });
    bar.update(done);
  }
  bar.stop();
  return points;
}

const capped = run('bounded across users', {});
gc();
const perUser = run('peer: per-user caps only', { closedOrdersTotal: Number.MAX_SAFE_INTEGER, userTradesTotal: Number.MAX_SAFE_INTEGER });

console.log(`\nbench:history — engine + MemoryHistory, ${USERS} users, mix A stream (seed 7), heap after a full GC`);
console.log(`limits: ${JSON.stringify(DEFAULT_MEMORY_LIMITS)}`);
console.log('commands    | bounded across users: heap MB  orders held  user trades | per-user caps only: heap MB  orders held  user trades');
for (let i = 0; i < capped.length; i++) {
  const a = capped[i]!;
  const b = perUser[i]!;
  console.log(`${String(a.commands).padStart(11)} | ${String(a.heapMB).padStart(30)} ${String(a.orders).padStart(12)} ${String(a.userTrades).padStart(12)} | ${String(b.heapMB).padStart(28)} ${String(b.orders).padStart(12)} ${String(b.userTrades).padStart(12)}`);
}
console.log(JSON.stringify({ bench: 'history', users: USERS, commands: COMMANDS, limits: DEFAULT_MEMORY_LIMITS, boundedAcrossUsers: capped, perUserCapsOnly: perUser }));
