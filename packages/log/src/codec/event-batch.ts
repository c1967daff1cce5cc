import type { EngineEvent } from '@matchbox/domain';

/**
 * The event log's entry payload: the events of one sequencer batch, one array per command in
 * seq order. JSON, because events are read by projections in other processes and languages
 * (psql, redis-cli) and are regenerable from the command log if ever lost.
 */
export interface EventBatch {
  readonly tsMs: number;
  /** `events[i]` are the events of command seq `entry.seq - events.length + 1 + i`. */
  readonly events: readonly (readonly EngineEvent[])[];
}

export function encodeEventBatch(batch: EventBatch): Buffer {
  return Buffer.from(JSON.stringify(batch), 'utf8');
}

export function decodeEventBatch(payload: Uint8Array): EventBatch {
  return JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8')) as EventBatch;
}
