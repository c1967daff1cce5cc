import type { Level, Logger } from 'pino';

const LEVELS = { trace: 1, debug: 1, info: 1, warn: 1, error: 1, fatal: 1 } as const;

/**
 * Writes a pino JSON line made on a worker thread through the main thread's logger, at its level
 * and with its fields (the worker's own time, pid and host are dropped: the main logger adds its
 * own). Lines that are not pino JSON are ignored.
 */
export function relogLine(log: Logger | undefined, line: string): void {
  if (log === undefined) return;
  let rec: Record<string, unknown>;
  try { rec = JSON.parse(line) as Record<string, unknown>; } catch { return; }
  const { level, msg, time: _time, pid: _pid, hostname: _host, ...fields } = rec;
  const label = (typeof level === 'number' ? log.levels.labels[level] : undefined) ?? 'info';
  if (label in LEVELS) log[label as Level](fields, typeof msg === 'string' ? msg : '');
}
