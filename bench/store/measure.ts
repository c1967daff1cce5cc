import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_MARKETS } from '@matchbox/domain';
import { MemoryLog } from '@matchbox/log';
import pino from 'pino';
import { Projector, type SqlDriver } from '@matchbox/store';
import type { EventStream } from './stream.ts';

export interface Percentiles { p50: number; p99: number; max: number }

export interface SustainedResult {
  offeredEventsPerS: number;
  durationS: number;
  events: number;
  rows: number;
  eventsPerS: number;
  rowsPerS: number;
  /** Append-to-committed-in-the-database latency of each entry (ms). */
  lagMs: Percentiles;
  /** Most events appended but not yet projected, sampled at every step. */
  maxBacklogEvents: number;
  /** Time after the last append until everything was projected (ms). */
  drainMs: number;
  transactions: number;
  keptUp: boolean;
}

export interface BacklogResult { events: number; rows: number; seconds: number; eventsPerS: number; rowsPerS: number; transactions: number }

function percentiles(xs: number[]): Percentiles {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: s[s.length - 1] ?? 0 };
}

const silent = pino({ level: 'silent' });

/**
 * Sustained load: entries are appended to an in-memory event log on an open-loop schedule
 * (entry i at the time its cumulative events reach `eventsPerS`), while the projector steps as
 * fast as it can in the same process. Lag is measured per entry from its append to the COMMIT
 * that made it visible. The log is in memory so that the figure is the store's, not the log's.
 */
export async function measureSustained(db: SqlDriver, stream: EventStream, eventsPerS: number, onTick?: (done: number, total: number) => void, maxDrainMs = 30_000): Promise<SustainedResult> {
  const log = new MemoryLog();
  const projector = new Projector({ db, log, markets: DEFAULT_MARKETS, logger: silent, ackIntervalMs: 1_000 });
  const appendedAt = new Array<number>(stream.entries.length);
  const seqIndex = new Map<number, number>(stream.entries.map((e, i) => [e.seq, i]));
  let appended = 0;
  const t0 = performance.now();
  let producing = true;
  const dueMs = (i: number) => t0 + (stream.cumulativeEvents[i]! / eventsPerS) * 1000;
  const producer = (async () => {
    while (appended < stream.entries.length) {
      const wait = dueMs(appended) - performance.now();
      if (wait > 0) await sleep(Math.min(wait, 5));
      const batch = [];
      while (appended < stream.entries.length && dueMs(appended) <= performance.now()) {
        appendedAt[appended] = performance.now();
        batch.push(stream.entries[appended]!);
        appended++;
      }
      if (batch.length > 0) await log.append(batch);
    }
    producing = false;
  })();

  const lags: number[] = [];
  let projectedIdx = -1;
  let maxBacklog = 0;
  let lastAppendAt = 0;
  while (producing || projectedIdx < stream.entries.length - 1) {
    // Bounded runtime: a projector that cannot keep up is reported as such, not waited for.
    if (!producing && performance.now() - appendedAt[stream.entries.length - 1]! > maxDrainMs) break;
    const r = await projector.step();
    const now = performance.now();
    if (r.entries === 0) { await sleep(1); continue; }
    const upTo = seqIndex.get(r.seq)!;
    for (let i = projectedIdx + 1; i <= upTo; i++) lags.push(now - appendedAt[i]!);
    projectedIdx = upTo;
    const backlog = (appended > 0 ? stream.cumulativeEvents[appended - 1]! : 0) - stream.cumulativeEvents[projectedIdx]!;
    if (backlog > maxBacklog) maxBacklog = backlog;
    onTick?.(projectedIdx + 1, stream.entries.length);
  }
  await producer;
  lastAppendAt = appendedAt[stream.entries.length - 1]!;
  const complete = projectedIdx === stream.entries.length - 1;
  const end = performance.now();
  const seconds = (end - t0) / 1000;
  const lag = percentiles(lags);
  return {
    offeredEventsPerS: eventsPerS, durationS: seconds, events: projector.stats.events, rows: projector.stats.rows,
    eventsPerS: projector.stats.events / seconds, rowsPerS: projector.stats.rows / seconds, lagMs: lag,
    maxBacklogEvents: maxBacklog, drainMs: end - lastAppendAt, transactions: projector.stats.batches,
    // Kept up: no entry waited more than a second, and the backlog stayed under a second of load.
    keptUp: complete && lag.max < 1000 && maxBacklog < eventsPerS,
  };
}

/** Catch-up capacity: the whole stream is already in the log; project it as fast as possible. */
export async function measureBacklog(db: SqlDriver, stream: EventStream, onTick?: (done: number, total: number) => void): Promise<BacklogResult> {
  const log = new MemoryLog();
  await log.append(stream.entries);
  const projector = new Projector({ db, log, markets: DEFAULT_MARKETS, logger: silent });
  const t0 = performance.now();
  for (;;) {
    const r = await projector.step();
    if (r.entries === 0) break;
    onTick?.(r.seq, stream.entries[stream.entries.length - 1]!.seq);
  }
  const seconds = (performance.now() - t0) / 1000;
  const s = projector.stats;
  return { events: s.events, rows: s.rows, seconds, eventsPerS: s.events / seconds, rowsPerS: s.rows / seconds, transactions: s.batches };
}
