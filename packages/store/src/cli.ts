#!/usr/bin/env node
/**
 * matchbox-store: migrate, project and rebuild the history store.
 *
 *   node --import tsx packages/store/src/cli.ts migrate  --pg postgres://…/db [--schema s] | --pglite ./data/store
 *   node --import tsx packages/store/src/cli.ts project  --journal ./data/events | --redis redis://… --prefix p   (+ store flags)
 *   node --import tsx packages/store/src/cli.ts rebuild  (same flags): drop the tables and project the whole log again
 *   node --import tsx packages/store/src/cli.ts status   (same flags): cursor, log last seq, row counts
 */
import { DEFAULT_MARKETS } from '@matchbox/domain';
import { FileJournal, RedisStreamLog, type EventLog } from '@matchbox/log';
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import pino from 'pino';
import { PgDriver } from './driver/pg-driver.ts';
import { PgliteDriver } from './driver/pglite-driver.ts';
import type { SqlDriver } from './driver/sql-driver.ts';
import { Projector } from './projector/projector.ts';
import { rebuildStore } from './rebuild.ts';
import { migrate } from './schema/migrate.ts';
import { countRows } from './schema/table-dump.ts';

interface StoreFlags { pg?: string; schema?: string; pglite?: string }
interface LogFlags { journal?: string; redis?: string; prefix?: string }
interface ProjectFlags { batchEntries: string; batchEvents: string; name: string }

const logger = pino({ name: 'matchbox-store', level: process.env.LOG_LEVEL ?? 'info' });

async function openStore(f: StoreFlags): Promise<SqlDriver> {
  if (f.pg !== undefined) return PgDriver.open({ connection: f.pg, ...(f.schema !== undefined ? { schema: f.schema } : {}) });
  if (f.pglite !== undefined) return PgliteDriver.open({ dataDir: f.pglite });
  throw new Error('give --pg <url> or --pglite <dir>');
}

async function openLog(f: LogFlags): Promise<EventLog> {
  if (f.journal !== undefined) return FileJournal.open({ dir: f.journal, logger });
  if (f.redis !== undefined) return RedisStreamLog.open({ redis: f.redis, prefix: f.prefix ?? 'matchbox:events', logger });
  throw new Error('give --journal <dir> or --redis <url>');
}

function withStore(c: Command): Command {
  return c.option('--pg <url>', 'PostgreSQL connection string')
    .option('--schema <name>', 'PostgreSQL schema (created if missing)')
    .option('--pglite <dir>', 'PGlite data directory (embedded store)');
}

function withLog(c: Command): Command {
  return withStore(c).option('--journal <dir>', 'event log: file journal directory')
    .option('--redis <url>', 'event log: Redis URL').option('--prefix <prefix>', 'event log: Redis key prefix');
}

const program = new Command('matchbox-store').description('Matchbox history store: migrations, projector, rebuild');

withStore(program.command('migrate').description('apply pending migrations')).action(async (f: StoreFlags) => {
  const db = await openStore(f);
  try { logger.info({ applied: await migrate(db) }, 'migrations done'); } finally { await db.close(); }
});

withLog(program.command('project').description('run the projector until SIGINT/SIGTERM'))
  .option('--batch-entries <n>', 'log entries per transaction', '512')
  .option('--batch-events <n>', 'events per transaction', '20000')
  .option('--name <name>', 'cursor name', 'store')
  .action(async (f: StoreFlags & LogFlags & ProjectFlags) => {
    const db = await openStore(f);
    const log = await openLog(f);
    await migrate(db);
    const projector = new Projector({
      db, log, markets: DEFAULT_MARKETS, name: f.name, logger,
      maxEntriesPerBatch: Number(f.batchEntries), maxEventsPerBatch: Number(f.batchEvents),
    });
    projector.start();
    const signalled = new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    try {
      await Promise.race([signalled, projector.done()]);
      await projector.stop();
    } finally {
      await log.close();
      await db.close();
    }
  });

withLog(program.command('rebuild').description('drop the store tables and rebuild them from the event log')).action(async (f: StoreFlags & LogFlags) => {
  const db = await openStore(f);
  const log = await openLog(f);
  const bar = new cliProgress.SingleBar({ format: 'rebuild [{bar}] {percentage}% | seq {value}/{total} | {eta}s left' }, cliProgress.Presets.shades_classic);
  bar.start(await log.lastSeq(), 0);
  try {
    const r = await rebuildStore({ db, log, markets: DEFAULT_MARKETS, logger, onProgress: (seq, last) => { bar.setTotal(last); bar.update(seq); } });
    bar.stop();
    logger.info(r, 'rebuild done');
  } finally {
    bar.stop();
    await log.close();
    await db.close();
  }
});

withLog(program.command('status').description('cursor, log position and row counts')).action(async (f: StoreFlags & LogFlags) => {
  const db = await openStore(f);
  const log = await openLog(f);
  try {
    const cursors = await db.query<{ name: string; seq: number }>('SELECT name, seq FROM projector_cursor ORDER BY name');
    console.log(JSON.stringify({ logLastSeq: await log.lastSeq(), cursors, rows: await countRows(db) }));
  } finally {
    await log.close();
    await db.close();
  }
});

program.parseAsync().catch((err: unknown) => {
  logger.error({ err }, 'failed');
  process.exitCode = 1;
});
