import { Socket } from 'node:net';

/**
 * A minimal keep-alive HTTP/1.1 connection: one request at a time, the request bytes written
 * as one buffer, the response framed by Content-Length (or a chunked terminator). It exists
 * because a Node generator is part of the measurement on a 2-core machine: this costs a fraction
 * of undici/http per request, so more of the CPU is left for the server under test.
 */
export class RawConnection {
  private readonly socket: Socket;
  private buf: Buffer = Buffer.alloc(0);
  private onDone: ((status: number, body: Buffer) => void) | undefined;
  private failed: Error | undefined;
  ready: Promise<void>;

  constructor(host: string, port: number) {
    this.socket = new Socket();
    this.socket.setNoDelay(true);
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('error', (err) => this.fail(err));
    this.socket.on('close', () => this.fail(new Error('connection closed')));
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.connect(port, host);
  }

  get busy(): boolean {
    return this.onDone !== undefined;
  }

  get broken(): boolean {
    return this.failed !== undefined;
  }

  /** Sends one request; `done` gets the status (0 on a broken connection) and the body. */
  send(request: Buffer | string, done: (status: number, body: Buffer) => void): void {
    if (this.onDone !== undefined) throw new Error('connection busy: one request at a time');
    if (this.failed !== undefined) {
      done(0, Buffer.alloc(0));
      return;
    }
    this.onDone = done;
    this.socket.write(request);
  }

  close(): void {
    this.socket.destroy();
  }

  private fail(err: Error): void {
    if (this.failed === undefined) this.failed = err;
    const done = this.onDone;
    this.onDone = undefined;
    done?.(0, Buffer.alloc(0));
  }

  private onData(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const headEnd = this.buf.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = this.buf.toString('latin1', 0, headEnd);
    const status = Number(head.slice(9, 12));
    const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    let end: number;
    let body: Buffer;
    if (m !== null) {
      end = headEnd + 4 + Number(m[1]);
      if (this.buf.length < end) return;
      body = this.buf.subarray(headEnd + 4, end);
    } else {
      // Chunked: small answers only here; keep the raw chunks as the body (callers only need the status).
      const term = this.buf.indexOf('\r\n0\r\n\r\n', headEnd);
      if (term < 0) return;
      end = term + 7;
      body = this.buf.subarray(headEnd + 4, term);
    }
    this.buf = this.buf.length === end ? Buffer.alloc(0) : this.buf.subarray(end);
    const done = this.onDone;
    this.onDone = undefined;
    done?.(status, body);
  }
}

/** `count` connections to one server, opened up front (keep-alive for the whole run). */
export async function openConnections(host: string, port: number, count: number): Promise<RawConnection[]> {
  const conns = Array.from({ length: count }, () => new RawConnection(host, port));
  await Promise.all(conns.map((c) => c.ready));
  return conns;
}
