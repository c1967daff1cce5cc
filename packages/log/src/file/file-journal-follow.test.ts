import { appendFile, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../types.ts';
import { FileJournal } from './file-journal.ts';
import { encodeHeader } from './record-format.ts';
import { segmentName } from './segment.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'mbx-follow-'));
  dirs.push(d);
  return d;
}

function entry(seq: number): LogEntry {
  // Payloads of varying size, so records straddle the segment threshold at different points.
  return { seq, payload: Buffer.from(`entry-${seq}-${'x'.repeat(seq % 97)}`) };
}

async function readAll(log: FileJournal, after: number, max = 7): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for (;;) {
    const got = await log.read(after, max);
    if (got.length === 0) return out;
    out.push(...got);
    after = got[got.length - 1]!.seq;
  }
}

describe('file journal follower (readOnly + follow)', () => {
  it('sees a record larger than one follow step (8 MB)', async () => {
    const dir = await tempDir();
    const writer = await FileJournal.open({ dir });
    const follower = await FileJournal.open({ dir, readOnly: true, follow: true });
    const big = Buffer.alloc(9 * 1024 * 1024, 7);
    await writer.append([{ seq: 1, payload: big }, entry(2)]);
    const got = await readAll(follower, 0);
    expect(got.map((e) => e.seq)).toEqual([1, 2]);
    expect(Buffer.from(got[0]!.payload).equals(big)).toBe(true);
    await follower.close();
    await writer.close();
  });

  it('needs readOnly', async () => {
    await expect(FileJournal.open({ dir: await tempDir(), follow: true })).rejects.toThrow(/readOnly/);
  });

  it('reads everything a concurrent writer appends, in order, across segment rotation', async () => {
    const dir = await tempDir();
    const writer = await FileJournal.open({ dir, segmentBytes: 1024 });
    await writer.append([entry(1), entry(2)]);
    const follower = await FileJournal.open({ dir, readOnly: true, follow: true });
    const total = 600;
    const writing = (async () => {
      for (let seq = 3; seq <= total; seq += 3) {
        const batch = [entry(seq)];
        if (seq + 1 <= total) batch.push(entry(seq + 1));
        if (seq + 2 <= total) batch.push(entry(seq + 2));
        await writer.append(batch);
        if (seq % 30 === 0) await new Promise((r) => setImmediate(r));
      }
    })();
    const seen: LogEntry[] = [];
    let after = 0;
    const deadline = Date.now() + 20_000;
    while (after < total && Date.now() < deadline) {
      const got = await follower.read(after, 5);
      if (got.length === 0) { await new Promise((r) => setTimeout(r, 1)); continue; }
      got.forEach((e, i) => expect(e.seq).toBe(after + 1 + i));
      seen.push(...got);
      after = got[got.length - 1]!.seq;
    }
    await writing;
    expect(seen.map((e) => e.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    for (const e of seen) expect(Buffer.from(e.payload).toString()).toBe(Buffer.from(entry(e.seq).payload).toString());
    expect((await readdir(dir)).filter((n) => n.startsWith('seg-')).length).toBeGreaterThan(10);
    expect(await follower.lastSeq()).toBe(total);
    await expect(follower.append([entry(total + 1)])).rejects.toThrow(/read-only/);
    await follower.close();
    await writer.close();
  });

  it('a partially written tail record is not visible until complete, and is never truncated', async () => {
    const dir = await tempDir();
    const writer = await FileJournal.open({ dir });
    await writer.append([entry(1)]);
    await writer.close();
    const follower = await FileJournal.open({ dir, readOnly: true, follow: true });
    expect((await follower.read(0, 10)).map((e) => e.seq)).toEqual([1]);

    const file = path.join(dir, segmentName(1));
    const next = entry(2);
    const record = Buffer.concat([encodeHeader(2, next.payload), next.payload]);
    await appendFile(file, record.subarray(0, 10)); // part of the header
    expect(await follower.read(1, 10)).toEqual([]);
    await appendFile(file, record.subarray(10, 20)); // header and part of the payload
    expect(await follower.read(1, 10)).toEqual([]);
    const sizeWithTornTail = (await stat(file)).size;
    await appendFile(file, record.subarray(20));
    const got = await follower.read(1, 10);
    expect(got.map((e) => e.seq)).toEqual([2]);
    expect(Buffer.from(got[0]!.payload).toString()).toBe(Buffer.from(next.payload).toString());
    expect(sizeWithTornTail).toBe((await stat(file)).size - (record.length - 20));

    // Opened on a torn tail, the follower leaves it alone and sees the record once it is complete.
    const third = entry(3);
    const rec3 = Buffer.concat([encodeHeader(3, third.payload), third.payload]);
    await appendFile(file, rec3.subarray(0, 17));
    const late = await FileJournal.open({ dir, readOnly: true, follow: true });
    expect((await readAll(late, 0)).map((e) => e.seq)).toEqual([1, 2]);
    expect((await stat(file)).size).toBe(sizeWithTornTail + record.length - 20 + 17);
    await appendFile(file, rec3.subarray(17));
    expect((await late.read(2, 10)).map((e) => e.seq)).toEqual([3]);
    expect((await follower.read(2, 10)).map((e) => e.seq)).toEqual([3]);
    await late.close();
    await follower.close();
  });

  it('survives the writer trimming segments it has read or not yet read', async () => {
    const dir = await tempDir();
    const writer = await FileJournal.open({ dir, segmentBytes: 512 });
    for (let seq = 1; seq <= 100; seq++) await writer.append([entry(seq)]);
    const follower = await FileJournal.open({ dir, readOnly: true, follow: true });
    expect((await follower.read(0, 10)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Trim everything below 60: the follower's segments up to there disappear under it.
    await writer.trimBelow(60);
    const first = await writer.firstSeq();
    expect(first).toBeGreaterThan(10);
    const rest = (await readAll(follower, 10)).map((e) => e.seq);
    // A segment still open may be read to its end; a deleted one is skipped (the gap is the
    // consumer's to notice), and everything the log still holds follows in order.
    expect(rest).toEqual([...rest].sort((a, b) => a - b));
    expect(rest.filter((s) => s >= first)).toEqual(Array.from({ length: 100 - first + 1 }, (_, i) => first + i));
    for (let seq = 101; seq <= 150; seq++) await writer.append([entry(seq)]);
    await writer.trimBelow(140);
    const more = await readAll(follower, 100);
    expect(more.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 101 + i).filter((s) => s >= more[0]!.seq));
    expect(more[0]!.seq).toBeLessThanOrEqual(140);
    expect(more[more.length - 1]!.seq).toBe(150);
    expect(await follower.firstSeq()).toBeLessThanOrEqual(140);
    await follower.close();
    await writer.close();
  });

  it('a follower opened on an empty directory picks up the first segment once written', async () => {
    const dir = await tempDir();
    const follower = await FileJournal.open({ dir, readOnly: true, follow: true });
    expect(await follower.read(0, 10)).toEqual([]);
    const writer = await FileJournal.open({ dir, segmentBytes: 256 });
    for (let seq = 1; seq <= 20; seq++) await writer.append([entry(seq)]);
    expect((await readAll(follower, 0, 3)).map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await follower.close();
    await writer.close();
  });
});
