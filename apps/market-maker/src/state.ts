import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Credentials } from '@matchbox/client';
import type { Logger } from 'pino';

/** One faucet account of the bot. `userId` lets a restarted bot top the account up. */
export interface SavedAccount extends Credentials {
  readonly userId: number;
}

/** What the bot keeps across restarts: its accounts, so it can reuse them and cancel their orders. */
export interface BotState {
  readonly version: 1;
  /** Maker accounts by symbol (one per symbol: new-order limits are per account). */
  readonly makers: Record<string, SavedAccount>;
  taker: SavedAccount | undefined;
}

export function emptyState(): BotState {
  return { version: 1, makers: {}, taker: undefined };
}

function account(v: unknown): SavedAccount | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const a = v as Record<string, unknown>;
  if (typeof a.apiKey !== 'string' || typeof a.secretKey !== 'string' || !Number.isSafeInteger(a.userId)) return undefined;
  return { userId: a.userId as number, apiKey: a.apiKey, secretKey: a.secretKey };
}

/** The saved state; a missing file is an empty state, and so is an unreadable one (it gets overwritten). */
export function loadState(file: string, log: Logger): BotState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn({ file, err: (err as Error).message }, 'state file unreadable: starting with new accounts');
    return emptyState();
  }
  try {
    const raw = JSON.parse(text) as { makers?: Record<string, unknown>; taker?: unknown };
    const state = emptyState();
    for (const [symbol, v] of Object.entries(raw.makers ?? {})) {
      const a = account(v);
      if (a !== undefined) state.makers[symbol] = a;
    }
    state.taker = account(raw.taker);
    return state;
  } catch (err) {
    log.warn({ file, err: (err as Error).message }, 'state file is not valid JSON: starting with new accounts');
    return emptyState();
  }
}

/** Writes the state atomically (temp file + rename), readable by the owner only: it holds secret keys. */
export function saveState(file: string, state: BotState): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600); // `mode` applies only when the file is created
  renameSync(tmp, file);
}
