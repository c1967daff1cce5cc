import type { MarketConfig } from '@matchbox/domain';
import type { ProjectorStats } from './projector.ts';

/** What the projector thread is started with (structured-cloned into the worker). */
export interface ThreadProjectorInit {
  /** PostgreSQL connection string (its `options` may set the search_path). */
  readonly databaseUrl: string;
  /** Schema to create if missing and use (as the gateway's `PgDriver` does). */
  readonly schema?: string;
  /** The Redis event log the sequencer writes: URL and stream prefix (`<prefix>:events`). */
  readonly redisUrl: string;
  readonly eventPrefix: string;
  readonly markets: readonly MarketConfig[];
  readonly name?: string;
  readonly idlePollMs?: number;
  readonly batchWindowMs?: number;
  /** pino level for what the thread logs (its lines are written by the main thread's logger). */
  readonly logLevel?: string;
}

export type ThreadRequest = { readonly t: 'stop'; readonly catchUp: boolean };

export type ThreadReply =
  | { readonly t: 'progress'; readonly stats: ProjectorStats }
  | { readonly t: 'log'; readonly line: string }
  | { readonly t: 'failed'; readonly message: string }
  | { readonly t: 'stopped'; readonly seq: number };
