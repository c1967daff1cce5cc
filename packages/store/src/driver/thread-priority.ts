import { readlinkSync } from 'node:fs';
import os from 'node:os';

/**
 * Lowers the OS scheduling priority of the CALLING thread (not the process) to `nice`.
 *
 * On Linux a nice value belongs to a thread: `setpriority(PRIO_PROCESS, tid)` with a thread id
 * changes that thread alone. Node gives no thread id, but `/proc/thread-self` links to
 * `<pid>/task/<tid>` of whoever reads it. Raising one's own nice value needs no privilege;
 * lowering it again does. Returns null (with the reason) where it cannot be done.
 */
export function setOwnThreadNice(nice: number): { tid: number; nice: number } | { error: string } {
  if (process.platform !== 'linux') return { error: `per-thread priority is not supported on ${process.platform}` };
  try {
    const link = readlinkSync('/proc/thread-self');
    const m = /(\d+)\/task\/(\d+)$/.exec(link);
    if (m === null) return { error: `unexpected /proc/thread-self link "${link}"` };
    const tid = Number(m[2]);
    os.setPriority(tid, nice);
    return { tid, nice: os.getPriority(tid) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}
