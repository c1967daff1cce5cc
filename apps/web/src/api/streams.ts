/// <reference lib="dom" />
/**
 * One combined market-data WebSocket (`/stream`, SUBSCRIBE/UNSUBSCRIBE) shared by every view.
 * It reconnects with backoff and reports its state so views can fall back to REST polling while
 * it is not live: 'connecting' → 'live'; on loss 'reconnecting'; after repeated failures 'polling'.
 */
import { wsBase } from './http.ts';

export type LinkState = 'connecting' | 'live' | 'reconnecting' | 'polling';
type Handler = (data: unknown) => void;

export class MarketSocket {
  private ws: WebSocket | undefined;
  private handlers = new Map<string, Set<Handler>>();
  private stateListeners = new Set<(s: LinkState) => void>();
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private nextId = 1;
  private closed = false;
  state: LinkState = 'connecting';

  constructor(private readonly path = '/stream') {}

  start(): void {
    this.closed = false;
    this.connect();
  }

  stop(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.ws?.close();
    this.ws = undefined;
  }

  onState(fn: (s: LinkState) => void): () => void {
    this.stateListeners.add(fn);
    fn(this.state);
    return () => this.stateListeners.delete(fn);
  }

  /** Subscribes to a stream name like `btcusdt@trade`; returns the unsubscribe function. */
  subscribe(stream: string, fn: Handler): () => void {
    let set = this.handlers.get(stream);
    if (!set) {
      set = new Set();
      this.handlers.set(stream, set);
      if (this.ws) this.send('SUBSCRIBE', [stream]);
      else if (!this.closed && !this.timer) this.connect();
    }
    set.add(fn);
    return () => {
      const s = this.handlers.get(stream);
      if (!s) return;
      s.delete(fn);
      if (s.size === 0) {
        this.handlers.delete(stream);
        this.send('UNSUBSCRIBE', [stream]);
      }
    };
  }

  private setState(s: LinkState): void {
    if (s === this.state) return;
    this.state = s;
    for (const fn of this.stateListeners) fn(s);
  }

  private send(method: string, params: string[]): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ method, params, id: this.nextId++ }));
  }

  private connect(): void {
    if (this.closed || this.ws) return;
    const initial = [...this.handlers.keys()];
    if (initial.length === 0) return; // connects at the first subscription
    let ws: WebSocket;
    try {
      ws = new WebSocket(`${wsBase()}${this.path}?streams=${initial.join('/')}`);
    } catch {
      this.retry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.failures = 0;
      const later = [...this.handlers.keys()].filter((k) => !initial.includes(k));
      if (later.length) this.send('SUBSCRIBE', later);
      this.setState('live');
    };
    ws.onmessage = (ev: MessageEvent) => {
      let msg: { stream?: string; data?: unknown; id?: unknown };
      try {
        msg = JSON.parse(String(ev.data)) as typeof msg;
      } catch {
        return;
      }
      if (typeof msg.stream !== 'string') return; // acks and control replies
      for (const fn of this.handlers.get(msg.stream) ?? []) fn(msg.data);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.retry();
    };
    ws.onerror = () => ws.close();
  }

  private retry(): void {
    if (this.closed) return;
    this.failures++;
    this.setState(this.failures >= 2 ? 'polling' : 'reconnecting');
    const delay = Math.min(30_000, 1000 * 2 ** Math.min(this.failures, 5));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connect();
    }, delay);
  }
}

export const marketSocket = new MarketSocket();
