import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_MARKETS } from '@matchbox/domain';
import { capturingLogger } from '@matchbox/log';
import { Projector } from '@matchbox/store';
import { afterAll, describe, expect, it } from 'vitest';
import { Exchange } from './exchange.ts';
import { expectProjectedTo } from './projection-test-support.ts';

/** Nice values of this process's threads (field 19 of /proc/self/task/<tid>/stat). */
function threadNices(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      out.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch { /* thread ended meanwhile */ }
  }
  return out;
}

describe('embedded exchange: the projector runs inside the PGlite worker', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('projects in the worker, acknowledges the cursor in the writer journal, catches up on close, survives a restart', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'mbx-exproj-'));
    dirs.push(dataDir);
    const { logger, lines } = capturingLogger('debug');
    const open = () => Exchange.open({
      storage: { kind: 'files', dataDir }, markets: DEFAULT_MARKETS, logger,
      historyStore: { kind: 'pglite', dataDir: path.join(dataDir, 'store'), nice: 12 },
    });
    const before = threadNices();
    let ex = await open();
    expect(ex.projector).toBeDefined();
    expect(ex.projector).not.toBeInstanceOf(Projector);
    if (process.platform === 'linux') {
      // One new thread at nice 12 (the worker), the main thread unchanged.
      const niced = [...threadNices()].filter(([tid, n]) => n === 12 && !before.has(tid));
      expect(niced).toHaveLength(1);
      expect(threadNices().get(process.pid)).toBe(before.get(process.pid));
    }
    for (let i = 0; i < 30; i++) await ex.submit({ t: 'createUser', username: `u${i}`, passwordHash: 'x' });
    await expectProjectedTo(ex, ex.health().durableSeq);

    // Submitted right before close: the final catch-up still gets them into the store.
    await Promise.all(Array.from({ length: 20 }, (_, i) => ex.submit({ t: 'createUser', username: `late${i}`, passwordHash: 'x' })));
    const last = ex.health().durableSeq;
    await ex.close();
    const cursors = JSON.parse(await readFile(path.join(dataDir, 'events', 'cursors.json'), 'utf8')) as Record<string, number>;
    expect(cursors.store).toBe(last);
    expect(lines.some((l) => l.msg === 'projector started' && l.thread === 'pglite-worker')).toBe(true);

    ex = await open();
    expect(await ex.projector!.cursor()).toBe(last);
    expect(ex.projectorProgress()?.seq).toBe(last);
    await ex.close();
    expect(lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
  }, 120_000);

  it('a projector that cannot continue is logged and leaves the exchange running', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'mbx-exproj-'));
    dirs.push(dataDir);
    const { logger, lines } = capturingLogger('info');
    // A store whose cursor (5) falls inside the first batch (1..10): that entry does not follow on.
    let ex = await Exchange.open({ storage: { kind: 'files', dataDir }, markets: DEFAULT_MARKETS, historyStore: { kind: 'pglite', dataDir: path.join(dataDir, 'store') } });
    await ex.close();
    const { PgliteDriver } = await import('@matchbox/store');
    const db = await PgliteDriver.open({ dataDir: path.join(dataDir, 'store') });
    await db.query("INSERT INTO projector_cursor (name, seq) VALUES ('store', 5) ON CONFLICT (name) DO UPDATE SET seq = 5");
    await db.close();
    ex = await Exchange.open({ storage: { kind: 'files', dataDir }, markets: DEFAULT_MARKETS, logger, historyStore: { kind: 'pglite', dataDir: path.join(dataDir, 'store') } });
    await Promise.all(Array.from({ length: 10 }, (_, i) => ex.submit({ t: 'createUser', username: `u${i}`, passwordHash: 'x' })));
    for (let i = 0; i < 500 && ex.projectorProgress()?.problem === undefined; i++) await new Promise((r) => setTimeout(r, 10));
    expect(ex.projectorProgress()?.problem).toMatch(/starts at seq/);
    expect(lines.some((l) => l.msg === 'projector stopped: history store no longer updated' && l.level === 50)).toBe(true);
    // The exchange goes on.
    const acc = await ex.submit({ t: 'createUser', username: 'after', passwordHash: 'x' });
    expect(acc.seq).toBe(11);
    expect(ex.health().ok).toBe(true);
    await ex.close();
  }, 120_000);
});
