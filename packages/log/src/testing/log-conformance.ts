import { afterEach, describe, expect, it } from 'vitest';
import type { EntryLog, LogEntry } from '../types.ts';

/** What an adapter's test file supplies: a fresh empty log, and a way to reopen the same one. */
export interface LogHarness {
  readonly log: EntryLog;
  /** Closes `log` and opens the same storage again (simulates a restart). */
  reopen(): Promise<EntryLog>;
  /** Deletes everything the harness created. */
  cleanup(): Promise<void>;
}

function entry(seq: number, text = `entry-${seq}`): LogEntry {
  return { seq, payload: new TextEncoder().encode(text) };
}

const text = (e: LogEntry): string => new TextDecoder().decode(e.payload);

async function readAll(log: EntryLog, batch = 7): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  let after = 0;
  for (;;) {
    const got = await log.read(after, batch);
    if (got.length === 0) return out;
    out.push(...got);
    after = got[got.length - 1]!.seq;
  }
}

/** The EntryLog contract (types.ts), run against one adapter. */
export function describeLogConformance(adapter: string, create: () => Promise<LogHarness>): void {
  describe(`EntryLog conformance: ${adapter}`, () => {
    let h: LogHarness | null = null;
    const open = async (): Promise<LogHarness> => (h = await create());
    afterEach(async () => {
      await h?.cleanup();
      h = null;
    });

    it('starts empty', async () => {
      const { log } = await open();
      expect(await log.lastSeq()).toBe(0);
      expect(await log.firstSeq()).toBe(0);
      expect(await log.read(0, 10)).toEqual([]);
    });

    it('reads back what was appended, byte for byte and in order, in batches', async () => {
      const { log } = await open();
      const big = new Uint8Array(300_000).map((_, i) => (i * 31) & 0xff);
      await log.append([entry(3), entry(7), { seq: 9, payload: new Uint8Array(0) }]);
      await log.append([{ seq: 12, payload: big }, entry(20)]);
      const all = await readAll(log, 2);
      expect(all.map((e) => e.seq)).toEqual([3, 7, 9, 12, 20]);
      expect(text(all[0]!)).toBe('entry-3');
      expect(all[2]!.payload.length).toBe(0);
      expect(Buffer.from(all[3]!.payload).equals(Buffer.from(big))).toBe(true);
      expect(await log.lastSeq()).toBe(20);
      expect(await log.firstSeq()).toBe(3);
      expect((await log.read(8, 10)).map((e) => e.seq)).toEqual([9, 12, 20]);
      expect((await log.read(7, 1)).map((e) => e.seq)).toEqual([9]);
      expect(await log.read(20, 10)).toEqual([]);
    });

    it('rejects entries whose seq does not increase', async () => {
      const { log } = await open();
      await expect(log.append([entry(5), entry(5)])).rejects.toThrow(RangeError);
      await expect(log.append([entry(0)])).rejects.toThrow();
      await expect(log.append([entry(1.5)])).rejects.toThrow(RangeError);
    });

    it('is idempotent by seq: a retried append stores nothing twice and keeps the first payload', async () => {
      const { log } = await open();
      await log.append([entry(1), entry(2)]);
      await log.append([entry(1, 'changed'), entry(2, 'changed')]);
      await log.append([entry(2, 'changed'), entry(3)]);
      const all = await readAll(log);
      expect(all.map((e) => [e.seq, text(e)])).toEqual([[1, 'entry-1'], [2, 'entry-2'], [3, 'entry-3']]);
    });

    it('overlapping appends all become durable in call order', async () => {
      const { log } = await open();
      const calls: Promise<void>[] = [];
      for (let i = 1; i <= 200; i++) calls.push(log.append([entry(i * 2 - 1), entry(i * 2)]));
      await Promise.all(calls);
      const all = await readAll(log, 64);
      expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
      expect(all.every((e) => text(e) === `entry-${e.seq}`)).toBe(true);
    });

    it('keeps entries and cursors across a restart and continues after them', async () => {
      const harness = await open();
      await harness.log.append([entry(1), entry(2)]);
      await harness.log.commitCursor('projector', 1);
      const again = await harness.reopen();
      expect(await again.lastSeq()).toBe(2);
      expect((await again.cursors()).get('projector')).toBe(1);
      await again.append([entry(2), entry(3)]);
      expect((await readAll(again)).map((e) => e.seq)).toEqual([1, 2, 3]);
    });

    it('trims below a seq without losing anything at or above it', async () => {
      const { log } = await open();
      for (let i = 1; i <= 50; i++) await log.append([entry(i * 10, 'x'.repeat(2000))]);
      await log.trimBelow(300);
      const first = await log.firstSeq();
      expect(first).toBeLessThanOrEqual(300);
      const all = await readAll(log);
      expect(all[0]!.seq).toBe(first);
      expect(all.map((e) => e.seq).filter((s) => s >= 300)).toEqual(Array.from({ length: 21 }, (_, i) => 300 + i * 10));
      expect(await log.lastSeq()).toBe(500);
      await log.append([entry(510)]);
      expect(await log.lastSeq()).toBe(510);
      await log.trimBelow(10_000);
      expect(await log.lastSeq()).toBe(510);
    });

    it('moves consumer cursors only forward', async () => {
      const { log } = await open();
      await log.commitCursor('db', 10);
      await log.commitCursor('db', 4);
      await log.commitCursor('ws', 7);
      expect(Object.fromEntries(await log.cursors())).toEqual({ db: 10, ws: 7 });
    });
  });
}
