/** Messages between the sequencer thread and the snapshot replica worker. */
export type ReplicaRequest =
  | { readonly t: 'init'; readonly snapshot: Uint8Array | null }
  | { readonly t: 'batch'; readonly lastSeq: number; readonly payload: Uint8Array }
  | { readonly t: 'snapshot'; readonly id: number };

export type ReplicaReply =
  | { readonly t: 'ready'; readonly seq: number }
  | { readonly t: 'snapshot'; readonly id: number; readonly seq: number; readonly stateHash: string; readonly bytes: Uint8Array }
  | { readonly t: 'error'; readonly message: string };
