import { summarizeLatency, type LatencySummary } from './latency.ts';
import type { ThroughputRun } from './measure-engine.ts';
import { PeerBooks } from './peer.ts';
import type { Progress } from './progress.ts';
import type { PeerOp } from './streams.ts';

const CHUNK = 50_000;

export interface PeerRun extends ThroughputRun {
  readonly cancelMisses: number;
  readonly openOrders: number;
  /** Present when the run timed every operation (withLatency). */
  readonly latency: LatencySummary | null;
}

/**
 * One pass of the peer over the stream on fresh books. With `withLatency` every operation is
 * wrapped in two process.hrtime.bigint() reads (about 0.1 µs against the peer's 4–40 µs per
 * operation, so the same pass serves for its throughput; the table says so).
 */
export function runPeer(ops: readonly PeerOp[], symbolCount: number, withLatency: boolean, progress: Progress): PeerRun {
  const books = new PeerBooks(symbolCount);
  const ns = withLatency ? new Float64Array(ops.length) : null;
  let total = 0n;
  for (let from = 0; from < ops.length; from += CHUNK) {
    const to = Math.min(ops.length, from + CHUNK);
    const t0 = process.hrtime.bigint();
    if (ns === null) applyRange(books, ops, from, to);
    else applyRangeTimed(books, ops, from, to, ns);
    total += process.hrtime.bigint() - t0;
    progress.update(to);
  }
  const seconds = Number(total) / 1e9;
  return {
    seconds, commandsPerS: ops.length / seconds, events: 0,
    cancelMisses: books.cancelMisses, openOrders: books.openOrderCount(),
    latency: ns === null ? null : summarizeLatency(ns),
  };
}

function applyRange(books: PeerBooks, ops: readonly PeerOp[], from: number, to: number): void {
  for (let i = from; i < to; i++) books.apply(ops[i]!);
}

function applyRangeTimed(books: PeerBooks, ops: readonly PeerOp[], from: number, to: number, ns: Float64Array): void {
  for (let i = from; i < to; i++) {
    const t0 = process.hrtime.bigint();
    books.apply(ops[i]!);
    ns[i] = Number(process.hrtime.bigint() - t0);
  }
}
