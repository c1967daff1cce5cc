import type { Command, EngineEvent, MarketConfig } from '@matchbox/domain';
import type { BenchEngine, BenchEngineFactory } from './bench-engine.ts';
import { summarizeLatency, type LatencySummary } from './latency.ts';
import type { Progress } from './progress.ts';

/** Engine time in commands: a fixed epoch plus one millisecond per 4,096 commands. */
export const TS0_MS = 1_700_000_000_000;
/** Commands between progress updates (the bar is drawn outside the timed region). */
const CHUNK = 100_000;

export interface ReadyEngine { readonly engine: BenchEngine; readonly seqBase: number }

/** A new engine with users and funds; the stream's command i gets seq seqBase + i. */
export function readyEngine(factory: BenchEngineFactory, markets: readonly MarketConfig[], setup: readonly Command[]): ReadyEngine {
  const engine = factory(markets);
  for (let i = 0; i < setup.length; i++) {
    const events = engine.apply(setup[i]!, i + 1, TS0_MS);
    const rejected = events.find((e) => e.type === 'rejected');
    if (rejected !== undefined) throw new Error(`setup command ${i} rejected: ${JSON.stringify(rejected)}`);
  }
  return { engine, seqBase: setup.length + 1 };
}

export interface ThroughputRun { readonly seconds: number; readonly commandsPerS: number; readonly events: number }

/** One timed pass over the stream; nothing but apply() runs inside the timed chunks. */
export function timeEngine(ready: ReadyEngine, commands: readonly Command[], progress: Progress): ThroughputRun {
  let ns = 0n;
  let events = 0;
  for (let from = 0; from < commands.length; from += CHUNK) {
    const to = Math.min(commands.length, from + CHUNK);
    const t0 = process.hrtime.bigint();
    events += applyRange(ready, commands, from, to);
    ns += process.hrtime.bigint() - t0;
    progress.update(to);
  }
  const seconds = Number(ns) / 1e9;
  return { seconds, commandsPerS: commands.length / seconds, events };
}

function applyRange(ready: ReadyEngine, commands: readonly Command[], from: number, to: number): number {
  const { engine, seqBase } = ready;
  let events = 0;
  for (let i = from; i < to; i++) events += engine.apply(commands[i]!, seqBase + i, TS0_MS + (i >>> 12)).length;
  return events;
}

export interface EngineCheck {
  /** Must be 0: a rejected place shifts every later order id. */
  readonly rejectedPlaces: number;
  /** Cancels of orders already filled; must equal the peer's cancel misses. */
  readonly rejectedCancels: number;
  readonly rejectedErrors: Record<string, number>;
  readonly trades: number;
  readonly eventsPerCommand: number;
  readonly openOrders: number;
}

/** Latency split by what the command was: where a p99 comes from. */
export interface LatencyByKind { readonly limit: LatencySummary; readonly market: LatencySummary; readonly cancel: LatencySummary }

export interface LatencyRun { readonly latency: LatencySummary; readonly byKind: LatencyByKind; readonly check: EngineCheck }

/**
 * The latency pass, separate from the throughput runs: process.hrtime.bigint() before and after
 * every apply() (all 1,000,000 commands, no sampling). Counting the events happens after the
 * second read, outside the sample.
 */
export function latencyEngine(ready: ReadyEngine, commands: readonly Command[], progress: Progress): LatencyRun {
  const { engine, seqBase } = ready;
  const ns = new Float64Array(commands.length);
  const tally = new EventTally();
  for (let i = 0; i < commands.length; i++) {
    const t0 = process.hrtime.bigint();
    const events = engine.apply(commands[i]!, seqBase + i, TS0_MS + (i >>> 12));
    const t1 = process.hrtime.bigint();
    ns[i] = Number(t1 - t0);
    tally.add(events);
    if ((i + 1) % CHUNK === 0) progress.update(i + 1);
  }
  return {
    latency: summarizeLatency(ns),
    byKind: {
      limit: summarizeLatency(ns.filter((_, i) => kindOf(commands[i]!) === 'limit')),
      market: summarizeLatency(ns.filter((_, i) => kindOf(commands[i]!) === 'market')),
      cancel: summarizeLatency(ns.filter((_, i) => kindOf(commands[i]!) === 'cancel')),
    },
    check: {
      rejectedPlaces: tally.rejectedPlaces, rejectedCancels: tally.rejectedCancels, rejectedErrors: tally.errors,
      trades: tally.trades, eventsPerCommand: tally.events / commands.length, openOrders: engine.openOrderCount(),
    },
  };
}

function kindOf(c: Command): keyof LatencyByKind | 'other' {
  if (c.t === 'cancel') return 'cancel';
  if (c.t !== 'place') return 'other';
  return c.type === 'MARKET' ? 'market' : 'limit';
}

class EventTally {
  events = 0;
  trades = 0;
  rejectedPlaces = 0;
  rejectedCancels = 0;
  readonly errors: Record<string, number> = {};

  add(events: readonly EngineEvent[]): void {
    this.events += events.length;
    for (const e of events) {
      if (e.type === 'trade') this.trades++;
      else if (e.type === 'rejected') {
        if (e.command === 'cancel') this.rejectedCancels++;
        else this.rejectedPlaces++;
        const key = `${e.command}:${e.error}`;
        this.errors[key] = (this.errors[key] ?? 0) + 1;
      }
    }
  }
}
