import { DEFAULT_MARKETS, type EngineEvent, type TradeEvent } from '@matchbox/domain';
import { decodeEventBatch, MemoryLog, type LogEntry } from '@matchbox/log';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { SqlDriver } from '../driver/sql-driver.ts';
import { migrate } from '../schema/migrate.ts';
import type { OpenedStore, TestBackend } from '../testing/backends.ts';
import { countRows, dumpTables } from '../schema/table-dump.ts';
import { ExchangeWorkload } from '../testing/exchange-workload.ts';
import { INTERVALS, openTimeOf } from './intervals.ts';
import { Projector, ProjectorGapError, type ProjectorOptions } from './projector.ts';

const silent = pino({ level: 'silent' });

function workloadEntries(commands = 2000, batchSize = 40): LogEntry[] {
  return new ExchangeWorkload({ seed: 7, jumpEveryBatches: 20 }).entries(commands, batchSize);
}

async function logOf(entries: readonly LogEntry[]): Promise<MemoryLog> {
  const log = new MemoryLog();
  await log.append(entries);
  return log;
}

function allEvents(entries: readonly LogEntry[]): { seq: number; ts: number; e: EngineEvent }[] {
  const out: { seq: number; ts: number; e: EngineEvent }[] = [];
  for (const entry of entries) {
    const b = decodeEventBatch(entry.payload);
    b.events.forEach((evs, i) => { for (const e of evs) out.push({ seq: entry.seq - b.events.length + 1 + i, ts: b.tsMs, e }); });
  }
  return out;
}

/** The projector tests, run against one backend (PGlite in memory, or a fresh PostgreSQL schema). */
export function projectorSuite(backend: TestBackend): void {
  describe(`projector on ${backend.name}`, () => {
    const opened: OpenedStore[] = [];
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.cleanup();
    });
    async function freshDb(): Promise<SqlDriver> {
      const s = await backend.open();
      opened.push(s);
      await migrate(s.db);
      return s.db;
    }
    async function project(entries: readonly LogEntry[], opts: Partial<ProjectorOptions> = {}): Promise<SqlDriver> {
      const db = await freshDb();
      await new Projector({ db, log: await logOf(entries), markets: DEFAULT_MARKETS, logger: silent, ...opts }).catchUp();
      return db;
    }

    it('runs migrations once and records them', async () => {
      const db = await freshDb();
      expect(await migrate(db)).toEqual([]);
      const rows = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual([1, 2]);
    });

    it('writes one row per event, current states equal to the last event, cursor at the last seq', async () => {
      const entries = workloadEntries();
      const db = await project(entries);
      const events = allEvents(entries);
      const of = <T extends EngineEvent['type']>(t: T) => events.filter((x) => x.e.type === t) as { seq: number; ts: number; e: Extract<EngineEvent, { type: T }> }[];
      const orders = of('order');
      const counts = await countRows(db);
      expect(of('trade').length).toBeGreaterThan(200);
      expect(counts.order_events).toBe(orders.length);
      expect(counts.trades).toBe(of('trade').length);
      expect(counts.user_trades).toBe(2 * of('trade').length);
      expect(counts.balance_ledger).toBe(of('balance').length);
      expect(counts.users).toBe(of('userCreated').length);
      expect(counts.api_keys).toBe(of('apiKeyCreated').length);
      const revoked = await db.query<{ n: number }>('SELECT count(*)::bigint AS n FROM api_keys WHERE revoked_seq IS NOT NULL');
      expect(revoked[0]!.n).toBe(of('apiKeyRevoked').length);

      const lastOrder = new Map<number, string>();
      for (const o of orders) lastOrder.set(o.e.orderId, `${o.e.status}/${o.e.executedLots}/${o.e.cumQuoteUnits}`);
      const stored = await db.query<{ order_id: number; s: string }>(
        "SELECT order_id, status || '/' || executed_lots || '/' || cum_quote_units AS s FROM orders");
      expect(new Map(stored.map((r) => [r.order_id, r.s]))).toEqual(lastOrder);

      const lastBalance = new Map<string, string>();
      for (const b of of('balance')) lastBalance.set(`${b.e.userId}|${b.e.asset}`, `${b.e.freeUnits}/${b.e.lockedUnits}`);
      const balances = await db.query<{ k: string; v: string }>("SELECT user_id || '|' || asset AS k, free_units || '/' || locked_units AS v FROM balances");
      expect(new Map(balances.map((r) => [r.k, r.v]))).toEqual(lastBalance);

      const cursor = await db.query<{ seq: number }>("SELECT seq FROM projector_cursor WHERE name = 'store'");
      expect(cursor[0]!.seq).toBe(entries[entries.length - 1]!.seq);
    });

    it('gives the same tables whatever the batch size, and a replay from seq 0 changes nothing', async () => {
      const entries = workloadEntries();
      const one = await project(entries, { maxEntriesPerBatch: 1 });
      const big = await project(entries, { maxEntriesPerBatch: 512 });
      const small = await project(entries, { maxEntriesPerBatch: 7, maxEventsPerBatch: 300 });
      const reference = await dumpTables(big);
      expect(await dumpTables(one)).toEqual(reference);
      expect(await dumpTables(small)).toEqual(reference);
      // A lost cursor (or a stray projector replaying old entries) must not duplicate anything.
      await big.query("UPDATE projector_cursor SET seq = 0 WHERE name = 'store'");
      await new Projector({ db: big, log: await logOf(entries), markets: DEFAULT_MARKETS, logger: silent, maxEntriesPerBatch: 3 }).catchUp();
      expect(await dumpTables(big)).toEqual(reference);
    });

    it('two projectors on one database never duplicate a row', async () => {
      const entries = workloadEntries();
      const reference = await dumpTables(await project(entries));
      const db = await freshDb();
      const log = await logOf(entries);
      const mk = () => new Projector({ db, log, markets: DEFAULT_MARKETS, logger: silent, maxEntriesPerBatch: 2 });
      const seqs = await Promise.all([mk().catchUp(), mk().catchUp(), mk().catchUp()]);
      expect(new Set(seqs)).toEqual(new Set([entries[entries.length - 1]!.seq]));
      expect(await dumpTables(db)).toEqual(reference);
    });

    it('keeps candles equal to a direct aggregation of the trades, for every interval', async () => {
      const entries = workloadEntries();
      const db = await project(entries, { maxEntriesPerBatch: 3 });
      const trades = allEvents(entries).map((x) => x.e).filter((e): e is TradeEvent => e.type === 'trade');
      for (const interval of INTERVALS) {
        const expected = new Map<string, string>();
        const groups = new Map<string, TradeEvent[]>();
        for (const t of trades) {
          const key = `${t.symbol}|${openTimeOf(interval, t.ts)}`;
          groups.set(key, [...(groups.get(key) ?? []), t]);
        }
        for (const [key, ts] of groups) {
          const sum = (f: (t: TradeEvent) => number) => ts.reduce((a, t) => a + BigInt(f(t)), 0n).toString();
          const prices = ts.map((t) => t.priceTicks);
          expected.set(key, [prices[0], Math.max(...prices), Math.min(...prices), prices[prices.length - 1], sum((t) => t.qtyLots),
            sum((t) => t.quoteUnits), ts.length, sum((t) => (t.buyerIsMaker ? 0 : t.qtyLots)), sum((t) => (t.buyerIsMaker ? 0 : t.quoteUnits)),
            ts[0]!.tradeId, ts[ts.length - 1]!.tradeId].join(','));
        }
        const rows = await db.query<{ k: string; v: string }>(
          `SELECT symbol || '|' || open_time AS k, concat_ws(',', open_ticks, high_ticks, low_ticks, close_ticks, volume_lots, quote_units,
             trades, taker_buy_lots, taker_buy_quote_units, first_trade_id, last_trade_id) AS v FROM candles WHERE interval = $1`, [interval]);
        expect(new Map(rows.map((r) => [r.k, r.v])), interval).toEqual(expected);
      }
    });

    it('refuses to start from a trimmed log instead of silently skipping history', async () => {
      const entries = workloadEntries(600, 40);
      const log = await logOf(entries);
      await log.trimBelow(entries[3]!.seq);
      const db = await freshDb();
      await expect(new Projector({ db, log, markets: DEFAULT_MARKETS, logger: silent }).catchUp()).rejects.toBeInstanceOf(ProjectorGapError);
    });

    it('keeping up with a trickle, gathers what arrives within its batch window into one transaction', async () => {
      const entries = workloadEntries(400, 4); // 100 entries, appended one by one below
      const db = await freshDb();
      const log = new MemoryLog();
      const windowMs = 100;
      const projector = new Projector({ db, log, markets: DEFAULT_MARKETS, logger: silent, idlePollMs: 5, batchWindowMs: windowMs });
      const t0 = performance.now();
      projector.start();
      try {
        for (const e of entries) {
          await log.append([e]);
          await new Promise((r) => setTimeout(r, 3));
        }
        const last = entries[entries.length - 1]!.seq;
        while (projector.stats.seq < last) await new Promise((r) => setTimeout(r, 5));
      } finally {
        await projector.stop();
      }
      const elapsedMs = performance.now() - t0;
      // Transactions that drain the log start at least a window apart, however slow the machine.
      expect(projector.stats.batches).toBeLessThanOrEqual(Math.floor(elapsedMs / windowMs) + 2);
      expect(projector.stats.entries).toBe(entries.length);
      expect((await countRows(db)).order_events).toBe(allEvents(entries).filter((x) => x.e.type === 'order').length);
    });

    it('stop() cuts a batch window short instead of sleeping it out', async () => {
      const entries = workloadEntries(200, 20);
      const projector = new Projector({ db: await freshDb(), log: await logOf(entries), markets: DEFAULT_MARKETS, logger: silent, batchWindowMs: 30_000 });
      projector.start();
      const last = entries[entries.length - 1]!.seq;
      for (let i = 0; i < 1000 && projector.stats.seq < last; i++) await new Promise((r) => setTimeout(r, 5));
      expect(projector.stats.seq).toBe(last); // drained in one transaction; now in its 30 s window
      const t0 = performance.now();
      await projector.stop();
      expect(performance.now() - t0).toBeLessThan(5000);
    });
  });
}
