import WebSocket from 'ws';

interface Diff { U: number; u: number; b: [string, string][]; a: [string, string][] }

/**
 * A client keeping a local order book by Binance's documented procedure: open the diff stream and
 * buffer, fetch the REST snapshot, drop diffs with u ≤ lastUpdateId, require the first kept one to
 * straddle lastUpdateId + 1, then require every U to be the previous u + 1. Any violation is
 * recorded as a gap (a real client would resync).
 */
export class LocalBook {
  readonly bids = new Map<string, string>();
  readonly asks = new Map<string, string>();
  lastUpdateId = 0;
  synced = false;
  gaps: string[] = [];
  diffsApplied = 0;
  private buffer: Diff[] = [];
  private ws: WebSocket | undefined;

  constructor(private readonly wsUrl: string, private readonly depthUrl: string) {}

  async start(): Promise<void> {
    this.synced = false;
    this.buffer = [];
    const ws = new WebSocket(this.wsUrl);
    this.ws = ws;
    ws.on('message', (data) => this.onDiff(JSON.parse(String(data)) as Diff));
    await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
    const snap = (await (await fetch(this.depthUrl)).json()) as { lastUpdateId: number; bids: [string, string][]; asks: [string, string][] };
    this.bids.clear();
    this.asks.clear();
    for (const [p, q] of snap.bids) this.bids.set(p, q);
    for (const [p, q] of snap.asks) this.asks.set(p, q);
    this.lastUpdateId = snap.lastUpdateId;
    const buffered = this.buffer;
    this.buffer = [];
    this.synced = true;
    let first = true;
    for (const d of buffered) first = this.apply(d, first);
    this.firstPending = first;
  }

  private firstPending = true;

  private onDiff(d: Diff): void {
    if (!this.synced) {
      this.buffer.push(d);
      return;
    }
    this.firstPending = this.apply(d, this.firstPending);
  }

  /** Returns whether the next kept diff is still the first after the snapshot. */
  private apply(d: Diff, first: boolean): boolean {
    if (d.u <= this.lastUpdateId) return first;
    if (first) {
      if (!(d.U <= this.lastUpdateId + 1 && this.lastUpdateId + 1 <= d.u)) this.gaps.push(`first diff ${d.U}..${d.u} after snapshot ${this.lastUpdateId}`);
    } else if (d.U !== this.lastUpdateId + 1) {
      this.gaps.push(`diff ${d.U}..${d.u} after ${this.lastUpdateId}`);
    }
    for (const [p, q] of d.b) if (q === '0.00000000') this.bids.delete(p); else this.bids.set(p, q);
    for (const [p, q] of d.a) if (q === '0.00000000') this.asks.delete(p); else this.asks.set(p, q);
    this.lastUpdateId = d.u;
    this.diffsApplied++;
    return false;
  }

  /** Levels best first, as REST depth lists them. */
  levels(): { bids: [string, string][]; asks: [string, string][] } {
    const sort = (m: Map<string, string>, desc: boolean): [string, string][] =>
      [...m].sort((x, y) => (desc ? Number(y[0]) - Number(x[0]) : Number(x[0]) - Number(y[0])));
    return { bids: sort(this.bids, true), asks: sort(this.asks, false) };
  }

  async stop(): Promise<void> {
    const ws = this.ws;
    if (ws === undefined || ws.readyState === ws.CLOSED) return;
    await new Promise<void>((resolve) => { ws.once('close', () => resolve()); ws.close(); });
  }
}
