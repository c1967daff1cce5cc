import type { LatencySummary } from './latency.ts';
import type { EngineCheck, LatencyByKind } from './measure-engine.ts';
import type { MemoryResult } from './memory.ts';

/** Everything one workload measured; the JSON line carries these as they are. */
export interface WorkloadResult {
  readonly name: string;
  readonly mix: string;
  readonly symbols: number;
  readonly commands: number;
  readonly kinds: { readonly limit: number; readonly market: number; readonly cancel: number };
  /** Median of the runs, commands per second. */
  readonly engineCommandsPerS: number;
  readonly engineRunsCommandsPerS: readonly number[];
  readonly engineLatency: LatencySummary;
  readonly engineLatencyByKind: LatencyByKind;
  readonly engineCheck: EngineCheck;
  /** Null when the peer did not run on this workload (time budget). */
  readonly peer: PeerResult | null;
  /** engineCommandsPerS / peer commandsPerS. */
  readonly ratio: number | null;
}

export interface PeerResult {
  readonly commandsPerS: number;
  readonly runsCommandsPerS: readonly number[];
  /** Whether the throughput runs also timed every operation (the slow mix A run does both). */
  readonly runsTimedPerOp: boolean;
  readonly latency: LatencySummary | null;
  readonly cancelMisses: number;
  readonly openOrders: number;
}

export interface TargetResult { readonly name: string; readonly value: number | null; readonly target: number; readonly unit: string; readonly atMost: boolean; readonly met: boolean | null }

export interface BenchResults {
  readonly bench: 'engine';
  readonly engine: string;
  /** Git commit of the measured engine, flagged when the working tree had changes. */
  readonly engineRevision: string;
  readonly peer: string;
  readonly machine: {
    readonly node: string; readonly cpu: string; readonly cpus: number; readonly memGiB: number;
    /** 1-minute load average at start and end: other work on a shared 2-core machine skews every figure. */
    readonly loadAvg1mStart: number; readonly loadAvg1mEnd: number;
  };
  readonly seed: number;
  readonly cancelPool: 'no-repeat' | 'repeat';
  readonly workloads: readonly WorkloadResult[];
  /** Null with --skip-memory. */
  readonly engineMemory: MemoryResult | null;
  readonly peerMemory: MemoryResult | null;
  readonly timerFloor: LatencySummary;
  readonly checks: { readonly ok: boolean; readonly failures: readonly string[] };
  readonly targets: readonly TargetResult[];
  readonly durationS: number;
}
