/**
 * bench:store — the history store's projector on PostgreSQL (127.0.0.1:5432, database `test`, a
 * fresh random schema dropped afterwards) and on embedded PGlite.
 *
 * 1. sustained: 50,000 events/s offered open-loop for SUSTAIN_S seconds; rows/s written, lag from
 *    append to COMMIT (p50/p99/max), largest backlog, drain time after the last append.
 * 2. backlog (capacity): a pre-filled log projected as fast as possible, on PostgreSQL and on
 *    PGlite (the peer: same SQL, embedded, same run).
 * Readable table, then one JSON line last. Bounded: about a minute and a half.
 */
import cliProgress from 'cli-progress';
import { migrate, PgDriver, PgliteDriver, type SqlDriver } from '@matchbox/store';
import { dropSchema, randomSchemaName, TEST_PG_URL } from '../../packages/store/src/testing/backends.ts';
import { measureBacklog, measureSustained, type BacklogResult, type SustainedResult } from './measure.ts';
import { generateStream } from './stream.ts';

const OFFERED_EVENTS_PER_S = Number(process.env.STORE_BENCH_RATE ?? 50_000);
const SUSTAIN_S = Number(process.env.STORE_BENCH_SECONDS ?? 30);
const BACKLOG_EVENTS = 300_000;
const PGLITE_BACKLOG_EVENTS = 100_000;
const BATCH_COMMANDS = 100;

function bar(label: string): cliProgress.SingleBar {
  const b = new cliProgress.SingleBar({ format: `${label.padEnd(22)} [{bar}] {percentage}% {value}/{total}`, stream: process.stderr }, cliProgress.Presets.shades_classic);
  return b;
}

async function withPg<T>(fn: (db: SqlDriver) => Promise<T>): Promise<T> {
  const schema = randomSchemaName('store_bench');
  const db = await PgDriver.open({ connection: TEST_PG_URL, schema });
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
    await dropSchema(schema);
  }
}

async function withPglite<T>(fn: (db: SqlDriver) => Promise<T>): Promise<T> {
  const db = await PgliteDriver.open();
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function progress<T>(label: string, fn: (tick: (done: number, total: number) => void) => Promise<T>): Promise<T> {
  const b = bar(label);
  let started = false;
  try {
    return await fn((done, total) => {
      if (!started) { b.start(total, 0); started = true; }
      b.update(done);
    });
  } finally {
    b.stop();
  }
}

const int = (x: number): string => Math.round(x).toLocaleString('en-US');

async function main(): Promise<void> {
  const t0 = performance.now();
  // The engine's clock in the stream advances about as fast as the replay, so candles roll realistically.
  const tsStepMs = Math.max(1, Math.round((BATCH_COMMANDS * 4.8 * 1000) / OFFERED_EVENTS_PER_S));
  const sustainStream = generateStream(OFFERED_EVENTS_PER_S * SUSTAIN_S, BATCH_COMMANDS, tsStepMs, 1);
  const backlogStream = generateStream(BACKLOG_EVENTS, BATCH_COMMANDS, tsStepMs, 2);
  const liteStream = generateStream(PGLITE_BACKLOG_EVENTS, BATCH_COMMANDS, tsStepMs, 3);
  console.error(`generated ${int(sustainStream.events + backlogStream.events + liteStream.events)} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const sustained: SustainedResult = await withPg((db) => progress('pg sustained', (tick) => measureSustained(db, sustainStream, OFFERED_EVENTS_PER_S, tick)));
  const pgBacklog: BacklogResult = await withPg((db) => progress('pg backlog', (tick) => measureBacklog(db, backlogStream, tick)));
  const liteBacklog: BacklogResult = await withPglite((db) => progress('pglite backlog', (tick) => measureBacklog(db, liteStream, tick)));

  console.log('');
  console.log(`bench:store — projector into the history store (${sustainStream.commands.toLocaleString('en-US')} commands, ${(sustainStream.events / sustainStream.commands).toFixed(2)} events/command, ${BATCH_COMMANDS} commands per log entry)`);
  console.log('');
  console.log('| run | events | rows | events/s | rows/s | tx | lag p50 / p99 / max (ms) | max backlog (events) |');
  console.log('|---|---:|---:|---:|---:|---:|---|---:|');
  console.log(`| PostgreSQL, ${int(OFFERED_EVENTS_PER_S)} events/s offered for ${SUSTAIN_S} s | ${int(sustained.events)} | ${int(sustained.rows)} | ${int(sustained.eventsPerS)} | ${int(sustained.rowsPerS)} | ${int(sustained.transactions)} | ${int(sustained.lagMs.p50)} / ${int(sustained.lagMs.p99)} / ${int(sustained.lagMs.max)} | ${int(sustained.maxBacklogEvents)} |`);
  for (const [name, r] of [['PostgreSQL, backlog (capacity)', pgBacklog], ['PGlite, backlog (capacity, peer)', liteBacklog]] as const) {
    console.log(`| ${name} | ${int(r.events)} | ${int(r.rows)} | ${int(r.eventsPerS)} | ${int(r.rowsPerS)} | ${int(r.transactions)} | — | — |`);
  }
  console.log('');
  console.log(`kept up with ${int(OFFERED_EVENTS_PER_S)} events/s: ${sustained.keptUp ? 'yes' : 'NO'} (drained ${int(sustained.drainMs)} ms after the last append); PostgreSQL capacity ${(pgBacklog.eventsPerS / OFFERED_EVENTS_PER_S).toFixed(2)}× the offered load; PostgreSQL/PGlite ${(pgBacklog.rowsPerS / liteBacklog.rowsPerS).toFixed(2)}×`);
  console.log(JSON.stringify({
    bench: 'store', offeredEventsPerS: OFFERED_EVENTS_PER_S, sustainS: SUSTAIN_S,
    sustained: { ...sustained, eventsPerS: Math.round(sustained.eventsPerS), rowsPerS: Math.round(sustained.rowsPerS), durationS: +sustained.durationS.toFixed(2),
      lagMs: { p50: +sustained.lagMs.p50.toFixed(1), p99: +sustained.lagMs.p99.toFixed(1), max: +sustained.lagMs.max.toFixed(1) }, drainMs: Math.round(sustained.drainMs) },
    pgBacklog: { ...pgBacklog, eventsPerS: Math.round(pgBacklog.eventsPerS), rowsPerS: Math.round(pgBacklog.rowsPerS), seconds: +pgBacklog.seconds.toFixed(2) },
    pgliteBacklog: { ...liteBacklog, eventsPerS: Math.round(liteBacklog.eventsPerS), rowsPerS: Math.round(liteBacklog.rowsPerS), seconds: +liteBacklog.seconds.toFixed(2) },
    totalS: +((performance.now() - t0) / 1000).toFixed(1),
  }));
}

await main();
