import type { Logger } from 'pino';
import type { CommandLog, EventLog, SnapshotStore } from '../types.ts';

/**
 * Trims both logs below the point everyone is past: the OLDEST snapshot still kept (so recovery
 * can fall back from a corrupt newest one and still replay) and every consumer cursor of either
 * log. With no snapshot nothing is trimmed: the log is then the only copy of the state.
 */
export async function trimLogs(snapshots: SnapshotStore, commandLog: CommandLog, eventLog: EventLog | undefined, logger?: Logger): Promise<number> {
  const kept = await snapshots.list();
  if (kept.length === 0) return 0;
  let safe = kept[kept.length - 1]!.seq;
  for (const log of eventLog ? [commandLog, eventLog] : [commandLog]) {
    for (const seq of (await log.cursors()).values()) safe = Math.min(safe, seq);
  }
  // Entries with seq ≤ safe are fully covered; trimBelow keeps seq ≥ its argument.
  if (safe <= 0) return 0;
  await commandLog.trimBelow(safe + 1);
  await eventLog?.trimBelow(safe + 1);
  logger?.debug({ below: safe + 1 }, 'logs trimmed');
  return safe + 1;
}
