/** Messages between the sequencer thread and the snapshot replica worker. */
export type ReplicaRequest =
  | { readonly t: 'init'; readonly snapshot: Uint8Array | null }
  /** Logged batches in seq order, posted together (one message per few ms, not one per batch). */
  | { readonly t: 'batches'; readonly lastSeqs: readonly number[]; readonly payloads: readonly Uint8Array[] }
  | { readonly t: 'snapshot'; readonly id: number };

export type ReplicaReply =
  | { readonly t: 'ready'; readonly seq: number }
  | { readonly t: 'snapshot'; readonly id: number; readonly seq: number; readonly stateHash: string; readonly bytes: Uint8Array }
  | { readonly t: 'error'; readonly message: string };
