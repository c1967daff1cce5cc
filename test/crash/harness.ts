import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkInvariants, type Engine } from '@matchbox/engine';
import { decodeCommandBatch, matchboxEngineCodec, type CommandLog } from '../../packages/log/src/index.ts';
export { PrivateRedis, freePort } from '../../packages/log/src/testing/private-redis.ts';
import { canonical } from './canonical.ts';
import { EventDigest, sha256, type EventJournalReport } from './event-journal.ts';
import type { ChildConfig } from './sequencer-child.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHILD = path.join(REPO_ROOT, 'test/crash/sequencer-child.ts');

export interface ReadyInfo {
  readonly lastSeq: number;
  readonly stateHash: string;
  readonly invariants: string[];
  readonly snapshotSeq: number;
  readonly rejected: number[];
  /** The child's event journal after recovery (file kind only); `republished`: entries recovery re-appended. */
  readonly events: (EventJournalReport & { readonly republished: number }) | null;
}

export function waitFor<T>(what: string, timeoutMs: number, check: () => T | undefined, onTick?: () => string): Promise<T> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      let v: T | undefined;
      try {
        v = check();
      } catch (err) {
        reject(err as Error);
        return;
      }
      if (v !== undefined) resolve(v);
      else if (Date.now() - start > timeoutMs) reject(new Error(`timed out waiting for ${what}${onTick ? `: ${onTick()}` : ''}`));
      else setTimeout(poll, 5);
    };
    poll();
  });
}

/** One sequencer child process; every ack line it prints goes into the shared `acked` map. */
export class SequencerChild {
  private readonly proc: ChildProcess;
  private buffered = '';
  private stderrTail = '';
  private readyInfo: ReadyInfo | undefined;
  private closedInfo: { lastSeq: number; stateHash: string } | undefined;
  private exitCode: number | null | undefined;
  ackedThisRun = 0;

  constructor(cfg: ChildConfig, private readonly acked: Map<number, string>) {
    this.proc = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(cfg)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => this.onData(chunk));
    this.proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => { this.stderrTail = (this.stderrTail + chunk).slice(-4000); });
    this.proc.on('exit', (code, signal) => { this.exitCode = code ?? (signal ? -1 : null); });
  }

  private onData(chunk: string): void {
    this.buffered += chunk;
    let nl: number;
    while ((nl = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 1);
      if (line.startsWith('A ')) {
        const sp = line.indexOf(' ', 2);
        this.acked.set(Number(line.slice(2, sp)), line.slice(sp + 1));
        this.ackedThisRun++;
      } else if (line.startsWith('READY ')) this.readyInfo = JSON.parse(line.slice(6)) as ReadyInfo;
      else if (line.startsWith('CLOSED ')) this.closedInfo = JSON.parse(line.slice(7)) as { lastSeq: number; stateHash: string };
    }
  }

  get diagnostics(): string { return `exit=${this.exitCode} stderr: ${this.stderrTail}`; }

  ready(timeoutMs = 30_000): Promise<ReadyInfo> {
    return waitFor('READY', timeoutMs, () => this.readyInfo ?? (this.exitCode !== undefined ? (() => { throw new Error(`child exited before READY: ${this.diagnostics}`); })() : undefined), () => this.diagnostics);
  }

  /** Resolves after `n` acks this run, or when the child exits (e.g. after a Redis failure). */
  acksOrExit(n: number, timeoutMs = 30_000): Promise<boolean> {
    return waitFor(`${n} acks`, timeoutMs, () => (this.ackedThisRun >= n ? true : this.exitCode !== undefined ? false : undefined), () => this.diagnostics);
  }

  exited(timeoutMs = 30_000): Promise<number | null> {
    return waitFor('exit', timeoutMs, () => this.exitCode, () => this.diagnostics);
  }

  closed(timeoutMs = 30_000): Promise<{ lastSeq: number; stateHash: string }> {
    return waitFor('CLOSED', timeoutMs, () => this.closedInfo, () => this.diagnostics);
  }

  /** Kills exactly this process, by pid. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.exitCode === undefined && this.proc.pid !== undefined) process.kill(this.proc.pid, signal);
  }
}

/**
 * The reference the crash tests compare against: a separate engine fed every logged command in
 * order (no snapshots involved), checking each acknowledged command is at its seq. It commits a
 * cursor on the log so the sequencer never trims entries it has not read yet.
 *
 * With `events`, it also keeps, for each seq, the sha256 of the canonical JSON of the events its
 * engine produced, to check an event journal against (`checkEventJournal`). Seqs below the first
 * one a checked journal still holds are dropped: a journal is only ever trimmed further, never
 * refilled below.
 */
export class ReferenceReplay {
  readonly engine: Engine = matchboxEngineCodec().create();
  checkedAcks = 0;
  /** seq → sha256 of the canonical JSON of the events engine.apply returned for it (only with `events`). */
  private readonly events = new Map<number, string>();
  private eventsFrom = 1;

  constructor(private readonly opts: { events?: boolean } = {}) {}

  /**
   * Checks a journal summary against the reference's events over the range the journal holds.
   * `complete`: the journal must end exactly where the reference does (after recovery); otherwise
   * it may end earlier (a crash may leave acknowledged batches' events unwritten) but never later.
   */
  checkEventJournal(report: EventJournalReport, complete: boolean, what: string): void {
    if (!this.opts.events) throw new Error('ReferenceReplay was created without events');
    const ref = this.engine.lastSeq;
    if (!report.contiguous) throw new Error(`${what}: event journal not contiguous: ${report.gap}`);
    if (complete ? report.lastSeq !== ref : report.lastSeq > ref) {
      throw new Error(`${what}: event journal ends at ${report.lastSeq} (${report.entries} entries from ${report.firstSeq}), the reference at ${ref}`);
    }
    if (report.entries === 0) {
      if (complete && ref > 0) throw new Error(`${what}: event journal empty, the reference is at ${ref}`);
      return;
    }
    if (report.firstSeq < this.eventsFrom) throw new Error(`${what}: event journal starts at ${report.firstSeq}, below ${this.eventsFrom} where an earlier check saw it start`);
    const digest = new EventDigest();
    for (let seq = report.firstSeq; seq <= report.lastSeq; seq++) {
      const events = this.events.get(seq);
      if (events === undefined) throw new Error(`${what}: the reference has no events for seq ${seq}`);
      digest.add(seq, events);
    }
    const expected = digest.digest();
    if (expected !== report.digest) {
      throw new Error(`${what}: event journal ${report.firstSeq}..${report.lastSeq} differs from the reference's events (digest ${report.digest}, the reference's ${expected})`);
    }
    for (let seq = this.eventsFrom; seq < report.firstSeq; seq++) this.events.delete(seq);
    this.eventsFrom = report.firstSeq;
  }

  /** Seqs whose events the reference holds (a bound the tests keep an eye on). */
  get eventsHeld(): number { return this.events.size; }

  async catchUp(log: CommandLog, acked: Map<number, string>): Promise<void> {
    for (;;) {
      const entries = await log.read(this.engine.lastSeq, 256);
      if (entries.length === 0) break;
      for (const entry of entries) {
        const batch = decodeCommandBatch(entry.payload);
        let seq = entry.seq - batch.commands.length + 1;
        if (seq !== this.engine.lastSeq + 1) throw new Error(`log gap: entry ${entry.seq} starts at ${seq}, reference is at ${this.engine.lastSeq}`);
        for (const c of batch.commands) {
          const ack = acked.get(seq);
          if (ack !== undefined) {
            if (ack !== canonical(c)) throw new Error(`seq ${seq}: acknowledged ${ack} but the log holds ${canonical(c)}`);
            acked.delete(seq);
            this.checkedAcks++;
          }
          const events = this.engine.apply(c, seq, batch.tsMs);
          if (this.opts.events) this.events.set(seq, sha256(canonical(events)));
          seq++;
        }
      }
    }
    for (const seq of acked.keys()) throw new Error(`acknowledged seq ${seq} is missing: the log ends at ${this.engine.lastSeq}`);
    const broken = checkInvariants(this.engine);
    if (broken.length > 0) throw new Error(`invariants broken at seq ${this.engine.lastSeq}: ${broken.join('; ')}`);
    if (this.engine.lastSeq > 0) await log.commitCursor('crash-test-reference', this.engine.lastSeq);
  }
}
