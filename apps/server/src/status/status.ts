import type { SnapshotMeta } from '@matchbox/log';

/**
 * Live operational figures for the status page and /metrics: commands/s, order latency
 * percentiles, log and projection lag, the last snapshot, WebSocket clients, uptime.
 *
 * Sampled once per `tick` (the route calls it every second and on each read) into a bounded
 * ring, so a page opened now can draw the last few minutes at once. Everything here is O(1) per
 * order and O(ring) per read; the snapshot listing is only read when the sequencer's snapshot
 * counter moves (or once at start).
 */

/** What the process can tell about itself; anything missing is reported as null, not guessed. */
export interface StatusProbes {
  /** Last applied and last durable seq (the exchange's health()). */
  seq(): { readonly lastSeq: number; readonly durableSeq: number };
  /** The history projection's cursor: every seq ≤ it is projected. */
  projectedSeq?(): number;
  /** The sequencer's snapshot counter: how many snapshots this process has saved. */
  snapshotsTaken?(): number;
  /** The snapshot store's listing, newest first. */
  snapshots?(): Promise<readonly SnapshotMeta[]>;
  /** Open WebSocket connections. */
  connections?(): number;
}

export interface StatusSample {
  /** Wall-clock ms at the end of the one-second interval. */
  readonly t: number;
  readonly seq: number;
  /** Commands sequenced per second over this interval. */
  readonly commandsPerSec: number;
  /** Order latency (POST /api/v3/order, answered < 400) over this interval, ms; null: no orders. */
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly orders: number;
  readonly logLag: number;
  readonly projectionLag: number | null;
  readonly connections: number | null;
}

export interface LatencySummary {
  /** Window the percentiles cover, ms. */
  readonly windowMs: number;
  readonly count: number;
  readonly p50Ms: number | null;
  readonly p90Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
}

export interface SnapshotStatus {
  readonly seq: number;
  /** Uncompressed state size (SnapshotMeta.sizeBytes). */
  readonly sizeBytes: number;
  /** When this process saw it appear (±1 s); null for a snapshot found at start (time unknown). */
  readonly takenAt: number | null;
  readonly ageSec: number | null;
  /** Commands applied since the snapshot. */
  readonly commandsSince: number;
}

export interface StatusReport {
  readonly serverTime: number;
  readonly startedAt: number;
  readonly uptimeSec: number;
  readonly seq: { readonly last: number; readonly durable: number; readonly projected: number | null };
  /** Commands sequenced per second over the last `rateWindowMs`. */
  readonly commandsPerSec: number;
  readonly rateWindowMs: number;
  readonly latency: LatencySummary;
  readonly logLag: number;
  readonly projectionLag: number | null;
  readonly snapshot: SnapshotStatus | null;
  /** Snapshots saved by this process since it started. */
  readonly snapshotsTaken: number | null;
  readonly connections: number | null;
  readonly history: { readonly intervalMs: number; readonly capacity: number; readonly samples: readonly StatusSample[] };
}

export interface StatusMonitorOptions {
  readonly clock?: () => number;
  /** History ring size in samples (one per second). */
  readonly capacity?: number;
  readonly rateWindowMs?: number;
  readonly latencyWindowMs?: number;
}

const INTERVAL_MS = 1000;

/**
 * Log-bucketed latency histogram (HDR-like): bucket i holds values in [G^i, G^(i+1)) µs, so any
 * percentile is within ~4% of the truth, in fixed memory whatever the load.
 */
const GROWTH = 1.04;
const LOG_G = Math.log(GROWTH);
const BUCKETS = 512; // 1.04^512 µs ≈ 5 · 10^8 µs: everything up to ~8 minutes

export class LatencyHistogram {
  readonly counts = new Uint32Array(BUCKETS);
  count = 0;
  maxMs = 0;

  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    const us = Math.max(1, ms * 1000);
    const i = Math.min(BUCKETS - 1, Math.floor(Math.log(us) / LOG_G));
    this.counts[i]!++;
    this.count++;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  add(other: LatencyHistogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i]! += other.counts[i]!;
    this.count += other.count;
    this.maxMs = Math.max(this.maxMs, other.maxMs);
  }

  clear(): void {
    this.counts.fill(0);
    this.count = 0;
    this.maxMs = 0;
  }

  /** The q-quantile in ms (bucket midpoint, capped by the max seen); null when empty. */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    if (q >= 1) return round3(this.maxMs);
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) {
        const mid = Math.sqrt(GROWTH ** i * GROWTH ** (i + 1)) / 1000;
        return round3(Math.min(mid, this.maxMs));
      }
    }
    return round3(this.maxMs);
  }
}

export class StatusMonitor {
  readonly startedAt: number;
  private readonly clock: () => number;
  private readonly capacity: number;
  private readonly rateWindowMs: number;
  private readonly latencyWindowMs: number;
  private readonly ring: StatusSample[] = [];
  /** Per-interval latency histograms for the latency window; [0] is the current interval. */
  private readonly slots: LatencyHistogram[];
  private lastTick: { t: number; seq: number } | null = null;
  private origin: { t: number; seq: number } | null = null;
  private snapshot: { seq: number; sizeBytes: number; takenAt: number | null } | null = null;
  private snapshotsSeen: number | null = null;
  private listing: Promise<void> | null = null;
  private listedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly probes: StatusProbes, opts: StatusMonitorOptions = {}) {
    this.clock = opts.clock ?? Date.now;
    this.capacity = opts.capacity ?? 300;
    this.rateWindowMs = opts.rateWindowMs ?? 5000;
    this.latencyWindowMs = opts.latencyWindowMs ?? 10_000;
    this.slots = Array.from({ length: Math.max(1, Math.ceil(this.latencyWindowMs / INTERVAL_MS)) }, () => new LatencyHistogram());
    this.startedAt = this.clock();
  }

  /** One answered order, in ms. */
  recordOrderLatency(ms: number): void {
    this.slots[0]!.record(ms);
  }

  /**
   * Closes the current interval into the ring when at least a second has passed since the last
   * one (so extra calls are harmless), and refreshes the snapshot info when it may have changed.
   */
  tick(): void {
    const now = this.clock();
    const { lastSeq, durableSeq } = this.probes.seq();
    this.refreshSnapshot(now);
    if (this.lastTick === null) {
      this.lastTick = { t: now, seq: lastSeq };
      this.origin = this.lastTick;
      return;
    }
    const dt = now - this.lastTick.t;
    if (dt < INTERVAL_MS) return;
    const current = this.slots[0]!;
    const projected = this.projected();
    this.push({
      t: now, seq: lastSeq,
      commandsPerSec: round3(Math.max(0, lastSeq - this.lastTick.seq) * 1000 / dt),
      p50Ms: current.quantile(0.5), p99Ms: current.quantile(0.99), orders: current.count,
      logLag: Math.max(0, lastSeq - durableSeq),
      projectionLag: projected === null ? null : Math.max(0, durableSeq - projected),
      connections: this.connections(),
    });
    this.lastTick = { t: now, seq: lastSeq };
    // rotate: the oldest slot becomes the new current one
    const oldest = this.slots.pop()!;
    oldest.clear();
    this.slots.unshift(oldest);
  }

  /** The live figures plus the history ring (samples newer than `sinceT` when given). */
  report(sinceT?: number): StatusReport {
    const now = this.clock();
    const { lastSeq, durableSeq } = this.probes.seq();
    const projected = this.projected();
    const window = new LatencyHistogram();
    for (const s of this.slots) window.add(s);
    const snap = this.snapshot;
    return {
      serverTime: now, startedAt: this.startedAt, uptimeSec: round3((now - this.startedAt) / 1000),
      seq: { last: lastSeq, durable: durableSeq, projected },
      commandsPerSec: this.rate(now, lastSeq), rateWindowMs: this.rateWindowMs,
      latency: {
        windowMs: this.slots.length * INTERVAL_MS, count: window.count,
        p50Ms: window.quantile(0.5), p90Ms: window.quantile(0.9), p99Ms: window.quantile(0.99), maxMs: window.count ? round3(window.maxMs) : null,
      },
      logLag: Math.max(0, lastSeq - durableSeq),
      projectionLag: projected === null ? null : Math.max(0, durableSeq - projected),
      snapshot: snap === null ? null : {
        seq: snap.seq, sizeBytes: snap.sizeBytes, takenAt: snap.takenAt,
        ageSec: snap.takenAt === null ? null : round3(Math.max(0, now - snap.takenAt) / 1000),
        commandsSince: Math.max(0, lastSeq - snap.seq),
      },
      snapshotsTaken: this.probes.snapshotsTaken ? this.safe(() => this.probes.snapshotsTaken!()) : null,
      connections: this.connections(),
      history: {
        intervalMs: INTERVAL_MS, capacity: this.capacity,
        samples: sinceT === undefined ? [...this.ring] : this.ring.filter((s) => s.t > sinceT),
      },
    };
  }

  /** Waits for a snapshot listing in flight (tests). */
  async settled(): Promise<void> {
    await this.listing;
  }

  /**
   * Commands/s from the newest point at least `rateWindowMs` old (or the oldest there is: the
   * ring, preceded by the first reading while the ring has not wrapped) to the live seq.
   */
  private rate(now: number, seq: number): number {
    let base: { t: number; seq: number } | null = this.ring.length < this.capacity ? this.origin : null;
    for (let i = this.ring.length - 1; i >= 0; i--) {
      const s = this.ring[i]!;
      if (now - s.t >= this.rateWindowMs) {
        base = s;
        break;
      }
      if (i === 0 && base === null) base = s;
    }
    if (base === null || now <= base.t) return 0;
    return round3(Math.max(0, seq - base.seq) * 1000 / (now - base.t));
  }

  private push(s: StatusSample): void {
    this.ring.push(s);
    if (this.ring.length > this.capacity) this.ring.splice(0, this.ring.length - this.capacity);
  }

  private projected(): number | null {
    return this.probes.projectedSeq ? this.safe(() => this.probes.projectedSeq!()) : null;
  }

  private connections(): number | null {
    return this.probes.connections ? this.safe(() => this.probes.connections!()) : null;
  }

  private safe<T>(f: () => T): T | null {
    try {
      return f();
    } catch {
      return null;
    }
  }

  /** Re-reads the listing at start and whenever the sequencer's snapshot counter moves. */
  private refreshSnapshot(now: number): void {
    if (!this.probes.snapshots || this.listing !== null) return;
    const taken = this.probes.snapshotsTaken ? this.safe(() => this.probes.snapshotsTaken!()) : null;
    const first = this.snapshotsSeen === null;
    // Without a counter to watch, the listing is re-read at most every 30 s.
    if (!first && (taken === null ? now - this.listedAt < 30_000 : taken === this.snapshotsSeen)) return;
    this.listedAt = now;
    const list = this.probes.snapshots;
    this.listing = (async () => {
      try {
        const newest = (await list())[0];
        if (newest !== undefined && newest.seq !== this.snapshot?.seq) {
          // A snapshot listed before this process took any is from an earlier run: its time is unknown.
          this.snapshot = { seq: newest.seq, sizeBytes: newest.sizeBytes, takenAt: first && !taken ? null : now };
        }
        this.snapshotsSeen = taken ?? 0;
      } catch {
        // keep the last known snapshot; try again next tick
      } finally {
        this.listing = null;
      }
    })();
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
