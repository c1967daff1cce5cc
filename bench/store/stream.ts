import { decodeEventBatch, type LogEntry } from '@matchbox/log';
import { ExchangeWorkload } from '../../packages/store/src/testing/exchange-workload.ts';

export interface EventStream {
  readonly entries: LogEntry[];
  /** Events in entries[0..i] inclusive. */
  readonly cumulativeEvents: number[];
  readonly events: number;
  readonly commands: number;
}

/**
 * A pre-generated event stream (not timed): the store tests' seeded two-symbol mix run through the
 * real Engine, packed like the sequencer packs it (one entry per batch of `batchSize` commands).
 * The clock inside advances `tsStepMs` per entry, close to the pace the benchmark replays it at.
 */
export function generateStream(minEvents: number, batchSize: number, tsStepMs: number, seed = 2024): EventStream {
  const workload = new ExchangeWorkload({ seed, users: 200, tsStepMs, startTs: Date.UTC(2026, 2, 1) });
  const entries: LogEntry[] = [];
  const cumulativeEvents: number[] = [];
  let events = 0;
  let commands = 0;
  while (events < minEvents) {
    for (const e of workload.entries(batchSize * 50, batchSize)) {
      const b = decodeEventBatch(e.payload);
      for (const evs of b.events) events += evs.length;
      commands += b.events.length;
      entries.push(e);
      cumulativeEvents.push(events);
    }
  }
  return { entries, cumulativeEvents, events, commands };
}
