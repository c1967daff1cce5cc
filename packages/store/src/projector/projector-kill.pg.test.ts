import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MARKETS } from '@matchbox/domain';
import { prng } from '@matchbox/domain';
import { FileJournal } from '@matchbox/log';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { SqlDriver } from '../driver/sql-driver.ts';
import { rebuildStore } from '../rebuild.ts';
import { dumpTables } from '../schema/table-dump.ts';
import { openPgSchema, randomSchemaName, TEST_PG_URL } from '../testing/backends.ts';
import { ExchangeWorkload } from '../testing/exchange-workload.ts';
import { writeJournal } from '../testing/write-journal.ts';

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));
const KILLS = 10;
const COMMANDS_PER_ROUND = 2000;

async function cursorOf(db: SqlDriver): Promise<number> {
  try {
    const rows = await db.query<{ seq: number }>("SELECT seq FROM projector_cursor WHERE name = 'store'");
    return rows[0]?.seq ?? 0;
  } catch {
    return 0; // the child has not migrated yet
  }
}

function startProjector(journal: string, schema: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'project', '--journal', journal, '--pg', TEST_PG_URL, '--schema', schema, '--batch-entries', '2'],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } });
  child.stderr!.on('data', () => undefined);
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Polls until `pred` holds or `ms` pass (the test's own bound, not an assertion on speed). */
async function until(pred: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await pred()) return true;
    await sleep(15);
  }
  return false;
}

describe('projector under SIGKILL (PostgreSQL)', () => {
  it('killed at random points under load and restarted, it ends with exactly the reference tables', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'store-kill-'));
    const journal = path.join(dir, 'events');
    const victim = await openPgSchema(randomSchemaName('store_kill'));
    const reference = await openPgSchema(randomSchemaName('store_kill_ref'));
    const rand = prng(99);
    const workload = new ExchangeWorkload({ seed: 42, jumpEveryBatches: 30 });
    let child: ChildProcess | null = null;
    const killedAt: { cursor: number; lastSeq: number }[] = [];
    try {
      let lastSeq = 0;
      for (let round = 0; round < KILLS; round++) {
        // More load arrives while the projector is down; it restarts behind and catches up.
        lastSeq = await writeJournal(journal, workload, COMMANDS_PER_ROUND, 50);
        const before = await cursorOf(victim.db);
        child = startProjector(journal, victim.schema);
        await until(async () => (await cursorOf(victim.db)) > before, 20_000);
        await sleep(Math.floor(rand() * 250));
        child.kill('SIGKILL');
        await exited(child);
        killedAt.push({ cursor: await cursorOf(victim.db), lastSeq });
      }
      // A last run to the end, stopped cleanly.
      child = startProjector(journal, victim.schema);
      expect(await until(async () => (await cursorOf(victim.db)) === lastSeq, 40_000)).toBe(true);
      child.kill('SIGTERM');
      await exited(child);

      const log = await FileJournal.open({ dir: journal });
      try {
        await rebuildStore({ db: reference.db, log, markets: DEFAULT_MARKETS, logger: pino({ level: 'silent' }) });
      } finally {
        await log.close();
      }
      expect(killedAt).toHaveLength(KILLS);
      console.log(`kill points (cursor/lastSeq): ${killedAt.map((k) => `${k.cursor}/${k.lastSeq}`).join(' ')}`);
      const got = await dumpTables(victim.db);
      const want = await dumpTables(reference.db);
      expect(got.trades!.length).toBeGreaterThan(500);
      for (const table of Object.keys(want)) expect(got[table], table).toEqual(want[table]);
    } finally {
      if (child !== null && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited(child);
      }
      await victim.cleanup();
      await reference.cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
