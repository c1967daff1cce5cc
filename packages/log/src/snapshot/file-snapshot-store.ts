import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { fsyncDir, removeStaleTemps, writeFileAtomic } from '../file/atomic-file.ts';
import { CorruptSnapshotError, type SnapshotMeta, type SnapshotStore } from '../types.ts';
import { checksum, compress, decompress } from './compression.ts';

/**
 * Snapshots as files `snap-<seq>.bin`, each written to a temp file, fsynced, renamed and the
 * directory fsynced, so a crash leaves a whole snapshot or none.
 *
 * File layout: a one-line JSON header (seq, stateHash, sizeBytes, storedBytes, crc32, compressed)
 * then `storedBytes` of body; the CRC covers the body as stored.
 */
export interface FileSnapshotStoreOptions {
  readonly dir: string;
  /** deflate the body (on the thread pool); off trades disk for write time. Default true. */
  readonly compress?: boolean;
}

interface Header extends SnapshotMeta {
  readonly storedBytes: number;
  readonly crc32: number;
  readonly compressed: boolean;
}

const NAME_RE = /^snap-(\d{16})\.bin$/;
const MAX_HEADER_BYTES = 4096;

export class FileSnapshotStore implements SnapshotStore {
  private constructor(private readonly dir: string, private readonly compressBody: boolean) {}

  static async open(opts: FileSnapshotStoreOptions): Promise<FileSnapshotStore> {
    await fsp.mkdir(opts.dir, { recursive: true });
    await removeStaleTemps(opts.dir);
    return new FileSnapshotStore(opts.dir, opts.compress ?? true);
  }

  private file(seq: number): string {
    return path.join(this.dir, `snap-${String(seq).padStart(16, '0')}.bin`);
  }

  async save(meta: SnapshotMeta, bytes: Uint8Array): Promise<void> {
    const file = this.file(meta.seq);
    if (await fsp.stat(file).then(() => true, () => false)) return;
    const body = this.compressBody ? await compress(bytes) : bytes;
    const header: Header = {
      seq: meta.seq, stateHash: meta.stateHash, sizeBytes: bytes.length,
      storedBytes: body.length, crc32: checksum(body), compressed: this.compressBody,
    };
    await writeFileAtomic(file, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), body]));
  }

  private async readHeader(file: string): Promise<{ header: Header; headerBytes: number } | null> {
    const h = await fsp.open(file, 'r');
    try {
      const buf = Buffer.alloc(MAX_HEADER_BYTES);
      const { bytesRead } = await h.read(buf, 0, buf.length, 0);
      const nl = buf.subarray(0, bytesRead).indexOf(10);
      if (nl < 0) return null;
      return { header: JSON.parse(buf.toString('utf8', 0, nl)) as Header, headerBytes: nl + 1 };
    } catch {
      return null;
    } finally {
      await h.close();
    }
  }

  /** Newest first. A file whose header is unreadable is listed by its name only, so recovery
   *  tries it, finds it corrupt and falls back (instead of silently skipping it). */
  async list(): Promise<SnapshotMeta[]> {
    const out: SnapshotMeta[] = [];
    for (const name of await fsp.readdir(this.dir)) {
      const m = NAME_RE.exec(name);
      if (!m) continue;
      const seq = Number(m[1]);
      const read = await this.readHeader(path.join(this.dir, name));
      out.push(read && read.header.seq === seq
        ? { seq, stateHash: read.header.stateHash, sizeBytes: read.header.sizeBytes }
        : { seq, stateHash: '', sizeBytes: 0 });
    }
    return out.sort((a, b) => b.seq - a.seq);
  }

  async load(seq: number): Promise<Uint8Array> {
    const file = this.file(seq);
    const buf = await fsp.readFile(file);
    const nl = buf.indexOf(10);
    let header: Header;
    try {
      header = JSON.parse(buf.toString('utf8', 0, nl < 0 ? 0 : nl)) as Header;
    } catch {
      throw new CorruptSnapshotError(seq, 'unreadable header');
    }
    const body = buf.subarray(nl + 1);
    if (header.seq !== seq) throw new CorruptSnapshotError(seq, `header says seq ${header.seq}`);
    if (body.length !== header.storedBytes) throw new CorruptSnapshotError(seq, `body is ${body.length} bytes, header says ${header.storedBytes}`);
    if (checksum(body) !== header.crc32) throw new CorruptSnapshotError(seq, 'checksum mismatch');
    return header.compressed ? decompress(seq, body, header.sizeBytes) : body;
  }

  async prune(keep: number): Promise<void> {
    const old = (await this.list()).slice(Math.max(keep, 0));
    for (const s of old) await fsp.rm(this.file(s.seq), { force: true });
    if (old.length > 0) await fsyncDir(this.dir);
  }

  async discard(seq: number): Promise<void> {
    await fsp.rename(this.file(seq), `${this.file(seq)}.corrupt`).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await fsyncDir(this.dir);
  }

  /** Test and tooling hook: the path of a snapshot file. */
  pathOf(seq: number): string { return this.file(seq); }

  async close(): Promise<void> { /* no handles held */ }
}
