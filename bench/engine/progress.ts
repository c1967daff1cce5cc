import cliProgress from 'cli-progress';

/**
 * Progress on stderr (stdout stays clean for the table and the JSON line): a bar on a terminal,
 * one line per phase otherwise (CI logs, pipes).
 */
export class Progress {
  private readonly bar: cliProgress.SingleBar | null;
  private readonly startMs = performance.now();
  private phaseStartMs = 0;
  private phaseName = '';

  constructor() {
    this.bar = process.stderr.isTTY
      ? new cliProgress.SingleBar({
        format: '{phase} [{bar}] {percentage}% | {value}/{total} | total {elapsed}s',
        hideCursor: true, clearOnComplete: true, stream: process.stderr,
      }, cliProgress.Presets.shades_classic)
      : null;
  }

  /** Seconds since the benchmark started. */
  elapsedS(): number {
    return (performance.now() - this.startMs) / 1000;
  }

  phase(name: string, total: number): void {
    this.end();
    this.phaseName = name;
    this.phaseStartMs = performance.now();
    if (this.bar === null) process.stderr.write(`[${this.elapsedS().toFixed(1).padStart(5)}s] ${name} …\n`);
    else this.bar.start(total, 0, { phase: name.padEnd(34), elapsed: this.elapsedS().toFixed(0) });
  }

  update(value: number): void {
    this.bar?.update(value, { elapsed: this.elapsedS().toFixed(0) });
  }

  /** Ends the current phase with a line giving its duration. */
  end(note = ''): void {
    if (this.phaseName === '') return;
    this.bar?.stop();
    const s = ((performance.now() - this.phaseStartMs) / 1000).toFixed(2);
    process.stderr.write(`[${this.elapsedS().toFixed(1).padStart(5)}s]   ${this.phaseName}: ${s}s${note === '' ? '' : ` — ${note}`}\n`);
    this.phaseName = '';
  }
}
