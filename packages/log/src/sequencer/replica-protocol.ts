/** Messages between the sequencer thread and the snapshot replica worker. */
export type ReplicaRequest =
  | { readonly t: 'init'; readonly snapshot: Uint8Array | null }
  /**
   * Logged batches in seq order, posted together (one message per few ms, not one per batch).
   * With `events`, the replica also encodes each batch's events (`encodeEventBatch`) and answers
   * with one `events` reply, so the sequencer's thread never encodes them.
   */
  | { readonly t: 'batches'; readonly lastSeqs: readonly number[]; readonly payloads: readonly Uint8Array[]; readonly events: boolean }
  | { readonly t: 'snapshot'; readonly id: number };

export type ReplicaReply =
  | { readonly t: 'ready'; readonly seq: number }
  /**
   * The event-log payloads of one `batches` request with `events`, in its order:
   * `bytes[ends[i-1]..ends[i])` (one buffer, transferred), and how many events each batch made.
   */
  | { readonly t: 'events'; readonly bytes: Uint8Array; readonly ends: readonly number[]; readonly counts: readonly number[] }
  | { readonly t: 'snapshot'; readonly id: number; readonly seq: number; readonly stateHash: string; readonly bytes: Uint8Array }
  | { readonly t: 'error'; readonly message: string };
