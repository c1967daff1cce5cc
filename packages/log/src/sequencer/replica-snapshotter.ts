import { Worker } from 'node:worker_threads';
import { DEFAULT_MARKETS, type MarketConfig } from '@matchbox/domain';
import type { ReplicaReply, ReplicaRequest } from './replica-protocol.ts';
import type { EncodedEvents, Snapshotter, TakenSnapshot } from './snapshotter.ts';

export interface ReplicaSnapshotterOptions {
  readonly markets?: readonly MarketConfig[];
  /** Commands the replica may trail the sequencer by before `capture` and `waitForLag` hold back. */
  readonly maxLagCommands?: number;
}

/** Batches wait at most this long before they are posted to the replica together. */
const BATCH_POST_MS = 5;
/** …or until this many are waiting (recovery replays thousands at once). */
const BATCH_POST_MAX = 256;

/**
 * Takes snapshots off the hot path: a worker thread keeps its own engine in step by applying
 * every logged batch, and encodes snapshots there. The sequencer's pause for a capture is one
 * postMessage, whatever the state size; the price is a second core replaying the commands.
 * Since its engine produces the very events the sequencer's does, it also encodes them for the
 * event log (`onBatchWithEvents`).
 */
export class ReplicaSnapshotter implements Snapshotter {
  private readonly worker: Worker;
  private readonly progress = new BigInt64Array(new SharedArrayBuffer(8));
  private nextId = 1;
  private postedSeq = 0;
  private pendingSeqs: number[] = [];
  private pendingPayloads: Uint8Array[] = [];
  /** Whether the batches waiting to be posted want their events encoded (all or none per post). */
  private pendingWantEvents = false;
  /** Event payloads asked for, oldest first: replies come in the order the batches were posted. */
  private readonly eventWaiters: { resolve: (encoded: EncodedEvents) => void; reject: (e: Error) => void }[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly waiting = new Map<number, { resolve: (s: TakenSnapshot) => void; reject: (e: Error) => void }>();
  private ready: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private broken: Error | null = null;
  readonly maxLagCommands: number;

  constructor(opts: ReplicaSnapshotterOptions = {}) {
    this.maxLagCommands = opts.maxLagCommands ?? 2_000_000;
    this.worker = new Worker(new URL('./replica-boot.mjs', import.meta.url), {
      workerData: { entry: new URL('./replica-worker.ts', import.meta.url).href, markets: opts.markets ?? DEFAULT_MARKETS, progress: this.progress.buffer },
    });
    this.worker.on('message', (m: ReplicaReply) => this.onReply(m));
    this.worker.on('error', (e) => this.breakWith(e));
    this.worker.on('exit', (code) => this.breakWith(new Error(`snapshot replica exited with code ${code}`)));
  }

  private onReply(m: ReplicaReply): void {
    if (m.t === 'ready') this.ready?.resolve();
    else if (m.t === 'events') {
      let start = 0;
      for (let i = 0; i < m.ends.length; i++) {
        const end = m.ends[i]!;
        this.eventWaiters.shift()?.resolve({ payload: m.bytes.subarray(start, end), events: m.counts[i]! });
        start = end;
      }
    } else if (m.t === 'snapshot') {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      w?.resolve({ seq: m.seq, stateHash: m.stateHash, bytes: m.bytes });
    } else this.breakWith(new Error(`snapshot replica failed: ${m.message}`));
  }

  private breakWith(err: Error): void {
    this.broken ??= err;
    this.ready?.reject(err);
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
    for (const w of this.eventWaiters.splice(0)) w.reject(err);
  }

  private post(msg: ReplicaRequest): void {
    this.worker.postMessage(msg);
  }

  init(snapshot: Uint8Array | null): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ready = { resolve, reject };
      this.post({ t: 'init', snapshot });
    });
  }

  onBatch(lastSeq: number, payload: Uint8Array): void {
    this.mirror(lastSeq, payload, false);
  }

  /** Mirrors the batch and has the replica encode its events: the sequencer's thread does not. */
  onBatchWithEvents(lastSeq: number, payload: Uint8Array): Promise<EncodedEvents> {
    if (this.broken) return Promise.reject(this.broken);
    const encoded = new Promise<EncodedEvents>((resolve, reject) => this.eventWaiters.push({ resolve, reject }));
    this.mirror(lastSeq, payload, true);
    return encoded;
  }

  private mirror(lastSeq: number, payload: Uint8Array, wantEvents: boolean): void {
    if (this.broken) return;
    if (wantEvents !== this.pendingWantEvents) {
      this.flushBatches();
      this.pendingWantEvents = wantEvents;
    }
    this.postedSeq = lastSeq;
    this.pendingSeqs.push(lastSeq);
    this.pendingPayloads.push(payload);
    // Waking the worker costs the sequencer's thread tens of µs per message here (a futex wake in
    // a VM): batches go over together, every few ms, and always before a capture.
    if (this.pendingSeqs.length >= BATCH_POST_MAX) this.flushBatches();
    else this.flushTimer ??= setTimeout(() => this.flushBatches(), BATCH_POST_MS);
  }

  private flushBatches(): void {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.pendingSeqs.length === 0 || this.broken) return;
    this.post({ t: 'batches', lastSeqs: this.pendingSeqs, payloads: this.pendingPayloads, events: this.pendingWantEvents });
    this.pendingSeqs = [];
    this.pendingPayloads = [];
  }

  /** How many commands the replica still has to apply. */
  lag(): number {
    return this.postedSeq - Number(Atomics.load(this.progress, 0));
  }

  capture(): Promise<TakenSnapshot> {
    if (this.broken) return Promise.reject(this.broken);
    this.flushBatches();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.post({ t: 'snapshot', id });
    });
  }

  async close(): Promise<void> {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    // First: nothing more is posted to a worker on its way out, and whatever waits is told.
    this.breakWith(new Error('snapshot replica closed'));
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}
