import { parentPort, workerData } from 'node:worker_threads';
import type { EngineEvent, MarketConfig } from '@matchbox/domain';
import type { Engine } from '@matchbox/engine';
import { decodeCommandBatch } from '../codec/command-batch.ts';
import { encodeEventBatch } from '../codec/event-batch.ts';
import { matchboxEngineCodec } from './engine-binding.ts';
import type { ReplicaReply, ReplicaRequest } from './replica-protocol.ts';

/**
 * The snapshot replica: a second engine in a worker thread fed the same logged batches, so a
 * snapshot is encoded here while the sequencer's engine keeps matching. Determinism makes the
 * two states identical at every batch boundary (checked: the snapshot carries this engine's
 * state hash, and recovery and `verify` compare it with a replay) — and the same events, which
 * it encodes for the event log when asked, the largest single cost the sequencer's thread had.
 */
const codec = matchboxEngineCodec((workerData as { markets: MarketConfig[] }).markets);
const progress = new BigInt64Array((workerData as { progress: SharedArrayBuffer }).progress);
let engine: Engine = codec.create();
const port = parentPort!;

function post(reply: ReplicaReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(reply, transfer);
}

/** One buffer for all payloads, transferred (small Buffers share a pool that must not be detached). */
function postEvents(encoded: readonly Buffer[], counts: readonly number[]): void {
  const ends: number[] = [];
  let total = 0;
  for (const b of encoded) ends.push(total += b.length);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const b of encoded) {
    bytes.set(b, at);
    at += b.length;
  }
  post({ t: 'events', bytes, ends, counts }, [bytes.buffer]);
}

port.on('message', (msg: ReplicaRequest) => {
  try {
    if (msg.t === 'init') {
      engine = msg.snapshot ? codec.decode(msg.snapshot) : codec.create();
      post({ t: 'ready', seq: engine.lastSeq });
    } else if (msg.t === 'batches') {
      const encoded: Buffer[] = [];
      const counts: number[] = [];
      for (let i = 0; i < msg.payloads.length; i++) {
        const batch = decodeCommandBatch(msg.payloads[i]!);
        let seq = msg.lastSeqs[i]! - batch.commands.length + 1;
        // The same commands at the same seqs and time as the sequencer's engine: the same events.
        const events: EngineEvent[][] = [];
        for (const c of batch.commands) {
          if (seq > engine.lastSeq) events.push(engine.apply(c, seq, batch.tsMs));
          seq++;
        }
        if (msg.events) {
          if (events.length !== batch.commands.length) throw new Error(`batch ending at ${msg.lastSeqs[i]} was already applied: its events cannot be encoded`);
          encoded.push(encodeEventBatch({ tsMs: batch.tsMs, events }));
          let n = 0;
          for (const e of events) n += e.length;
          counts.push(n);
        }
      }
      Atomics.store(progress, 0, BigInt(engine.lastSeq));
      if (msg.events) postEvents(encoded, counts);
    } else {
      const bytes = codec.encode(engine);
      const copy = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
      const stateHash = codec.hashSnapshot!(copy);
      post({ t: 'snapshot', id: msg.id, seq: engine.lastSeq, stateHash, bytes: copy }, [copy.buffer as ArrayBuffer]);
    }
  } catch (err) {
    post({ t: 'error', message: (err as Error).stack ?? String(err) });
  }
});
