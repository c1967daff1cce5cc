import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_MARKETS } from '@matchbox/domain';
import { FileJournal, MemoryLog, capturingLogger, type LogEntry } from '@matchbox/log';
import pino from 'pino';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Projector } from '../projector/projector.ts';
import { migrate } from '../schema/migrate.ts';
import { dumpTables } from '../schema/table-dump.ts';
import { PGLITE_BACKEND } from '../testing/backends.ts';
import { ExchangeWorkload } from '../testing/exchange-workload.ts';
import type { PgliteDriver } from './pglite-driver.ts';
import { PgliteWorkerDriver } from './pglite-worker-driver.ts';

const silent = pino({ level: 'silent' });

async function until(cond: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Field 19 of /proc/<pid>/task/<tid>/stat (after the parenthesised command name) is the nice value. */
function niceOf(tid: number): number {
  const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

describe('projector hosted in the PGlite worker', () => {
  const entries: LogEntry[] = new ExchangeWorkload({ seed: 11, jumpEveryBatches: 20 }).entries(1500, 30);
  let reference: Awaited<ReturnType<typeof dumpTables>>;
  /** A migrated, empty cluster: a worker starts from it much faster than from initdb. */
  let migrated: ArrayBuffer;
  const dirs: string[] = [];
  const drivers: PgliteWorkerDriver[] = [];

  beforeAll(async () => {
    const s = await PGLITE_BACKEND.open();
    migrated = await (s.db as PgliteDriver).dump();
    const log = new MemoryLog();
    await log.append(entries);
    await new Projector({ db: s.db, log, markets: DEFAULT_MARKETS, logger: silent }).catchUp();
    reference = await dumpTables(s.db);
    await s.cleanup();
  }, 120_000);
  afterEach(async () => {
    for (const d of drivers.splice(0)) await d.close().catch(() => undefined);
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  async function setup(nice?: number, logger = silent): Promise<{ dir: string; journal: FileJournal; db: PgliteWorkerDriver }> {
    const dir = await mkdtemp(path.join(tmpdir(), 'mbx-wproj-'));
    dirs.push(dir);
    const journal = await FileJournal.open({ dir: path.join(dir, 'events'), segmentBytes: 16 * 1024 });
    const db = await PgliteWorkerDriver.open({ loadDataDir: migrated.slice(0), logger, ...(nice !== undefined ? { nice } : {}) });
    drivers.push(db);
    expect(await migrate(db)).toEqual([]);
    return { dir, journal, db };
  }

  it('follows the journal while it is written, projects only what was published, acknowledges through the writer', async () => {
    const { dir, journal, db } = await setup();
    const acks: number[] = [];
    const p = await db.startProjector({
      journalDir: path.join(dir, 'events'), markets: DEFAULT_MARKETS, idlePollMs: 5, ackIntervalMs: 10, maxEntriesPerBatch: 7,
      commitCursor: async (name, seq) => { acks.push(seq); await journal.commitCursor(name, seq); },
    });
    const half = Math.floor(entries.length / 2);
    // Written but not published: the worker must not project it.
    await journal.append(entries.slice(0, half));
    const published = entries[half / 2 | 0]!.seq;
    p.advance(published);
    await until(() => p.stats.seq === published);
    await new Promise((r) => setTimeout(r, 200));
    expect(p.stats.seq).toBe(published);
    expect(await p.cursor()).toBe(published);
    p.advance(entries[half - 1]!.seq);
    // The rest arrives while the worker projects (segments rotate under it: 16 KiB each).
    for (let i = half; i < entries.length; i += 10) {
      const chunk = entries.slice(i, i + 10);
      await journal.append(chunk);
      p.advance(chunk[chunk.length - 1]!.seq);
      await new Promise((r) => setImmediate(r));
    }
    const last = entries[entries.length - 1]!.seq;
    expect(await p.stop()).toBe(last);
    expect(p.stats.seq).toBe(last);
    expect(p.lag).toBe(0);
    expect(acks[acks.length - 1]).toBe(last);
    expect((await journal.cursors()).get('store')).toBe(last);
    expect(await dumpTables(db)).toEqual(reference);
    await journal.close();
  }, 120_000);

  it('reports a gap in the log as a failure through the main logger, and the store stays readable', async () => {
    const cap = capturingLogger();
    const { dir, journal, db } = await setup(undefined, cap.logger);
    await journal.append(entries.slice(3, 10)); // the log starts after seq 1: a trimmed log
    const p = await db.startProjector({ journalDir: path.join(dir, 'events'), markets: DEFAULT_MARKETS, idlePollMs: 5, logger: cap.logger });
    p.advance(entries[9]!.seq);
    await expect(p.done()).rejects.toThrow(/starts at seq/);
    expect(p.error?.name).toBe('ProjectorGapError');
    await until(() => cap.lines.some((l) => l.msg === 'projector cannot continue' && l.thread === 'pglite-worker'));
    expect(cap.lines.some((l) => l.msg === 'projector stopped: history store no longer updated' && l.level === 50)).toBe(true);
    expect(await p.cursor()).toBe(0);
    expect(await p.stop()).toBe(0);
    await journal.close();
  }, 60_000);

  it.runIf(process.platform === 'linux')('lowers the worker thread\'s own priority, not the process\'s', async () => {
    const cap = capturingLogger();
    const { db, journal } = await setup(9, cap.logger);
    expect(db.thread).not.toBeNull();
    const { tid, nice } = db.thread!;
    expect(nice).toBe(9);
    expect(tid).not.toBe(process.pid);
    expect(niceOf(tid)).toBe(9);
    // The main thread (tid = pid) keeps its priority.
    expect(niceOf(process.pid)).toBe(Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[16]));
    expect(niceOf(process.pid)).not.toBe(9);
    expect(cap.lines.some((l) => l.msg === 'pglite worker: scheduling priority lowered' && l.tid === tid)).toBe(true);
    await journal.close();
  }, 60_000);
});
