import type { Duplex } from 'node:stream';

/**
 * Outgoing bytes of one connection: frames are queued during an event-loop turn and written in one
 * `socket.write` when the turn ends (many small frames cost one syscall). The queue plus what the
 * socket itself still holds is bounded: past `maxBufferedBytes` the client is too slow and
 * `onOverflow` runs (the connection cuts it off) instead of buffering without limit.
 */
export class Outbound {
  private frames: Buffer[] = [];
  private queuedBytes = 0;
  private closed = false;

  constructor(
    private readonly socket: Duplex,
    private readonly scheduler: FlushScheduler,
    private readonly maxBufferedBytes: number,
    private readonly onOverflow: () => void,
  ) {}

  push(frame: Buffer): void {
    if (this.closed) return;
    this.frames.push(frame);
    this.queuedBytes += frame.length;
    if (this.queuedBytes + this.socket.writableLength > this.maxBufferedBytes) {
      this.close();
      this.onOverflow();
      return;
    }
    if (this.frames.length === 1) this.scheduler.mark(this);
  }

  /** Bytes waiting in the queue and in the socket. */
  bufferedBytes(): number {
    return this.queuedBytes + this.socket.writableLength;
  }

  flush(): void {
    if (this.closed || this.frames.length === 0) return;
    const data = this.frames.length === 1 ? this.frames[0]! : Buffer.concat(this.frames, this.queuedBytes);
    this.frames = [];
    this.queuedBytes = 0;
    if (this.socket.writable) this.socket.write(data);
  }

  close(): void {
    this.closed = true;
    this.frames = [];
    this.queuedBytes = 0;
  }
}

/** Writes every connection that queued frames once per event-loop turn. */
export class FlushScheduler {
  private dirty: Outbound[] = [];
  private scheduled = false;

  mark(o: Outbound): void {
    this.dirty.push(o);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flushAll());
    }
  }

  flushAll(): void {
    this.scheduled = false;
    const list = this.dirty;
    this.dirty = [];
    for (const o of list) o.flush();
  }
}
