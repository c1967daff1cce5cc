import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import { textFrame } from './frame.ts';
import type { StreamLogger } from './hub.ts';
import { MessageRate, type StreamLimits } from './limits.ts';
import { FlushScheduler, Outbound } from './outbound.ts';

/** Close codes we use (RFC 6455 / IANA). */
export const CLOSE_POLICY = 1008;
export const CLOSE_TOO_BIG = 1009;
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_OVERLOADED = 1013;

/** What a protocol (market streams, WS API) does with one connection's text messages. */
export interface Protocol {
  onText(text: string): void;
  onClose(): void;
}

/**
 * One accepted WebSocket: bounded outbound queue, incoming rate limit, liveness (ping/pong), and
 * a single way out (`close`). Text messages go to the protocol; binary ones are refused.
 */
export class ClientSocket {
  readonly outbound: Outbound;
  private readonly rate: MessageRate;
  lastSeenMs: number;
  closed = false;
  closeReason = '';
  private protocol: Protocol | undefined;

  constructor(
    readonly ws: WebSocket,
    socket: Duplex,
    scheduler: FlushScheduler,
    private readonly limits: StreamLimits,
    private readonly now: () => number,
    private readonly log: StreamLogger | undefined,
    private readonly onGone: (c: ClientSocket) => void,
    kind: 'market' | 'api',
  ) {
    this.lastSeenMs = now();
    this.rate = kind === 'api'
      ? new MessageRate(limits.apiMessagesPerSecond, limits.apiMessageBurst, this.lastSeenMs)
      : new MessageRate(limits.messagesPerSecond, limits.messageBurst, this.lastSeenMs);
    this.outbound = new Outbound(socket, scheduler, limits.maxBufferedBytes, () => this.close(CLOSE_POLICY, 'slow client: outbound buffer full'));
    ws.on('pong', () => { this.lastSeenMs = this.now(); });
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', () => this.gone('closed by peer'));
    ws.on('error', (err) => {
      this.log?.warn({ err: err.message }, 'websocket error');
      this.gone(`error: ${err.message}`);
    });
  }

  attach(protocol: Protocol): void {
    this.protocol = protocol;
  }

  sendJson(value: unknown): void {
    this.outbound.push(textFrame(JSON.stringify(value)));
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    const nowMs = this.now();
    this.lastSeenMs = nowMs;
    if (!this.rate.take(nowMs)) {
      this.close(CLOSE_POLICY, 'too many messages');
      return;
    }
    if (isBinary) {
      this.sendJson({ error: { code: 3, msg: 'Invalid JSON: binary frames are not accepted' }, id: null });
      return;
    }
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    try {
      this.protocol?.onText(text);
    } catch (err) {
      // A bug in one message's handling must not take the server down: report, drop the client.
      this.log?.error({ err: (err as Error).message }, 'websocket message handler failed');
      this.close(1011, 'internal error');
    }
  }

  /** Pings, or drops the client when it stayed silent past the pong timeout. */
  heartbeat(nowMs: number): void {
    if (this.closed) return;
    if (nowMs - this.lastSeenMs > this.limits.pongTimeoutMs) {
      this.closeReason = 'no pong';
      this.terminate();
      return;
    }
    this.ws.ping();
  }

  /** Flushes what is queued, then a close frame; a client that does not answer is cut after 5 s. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.outbound.flush();
    this.closeReason = reason;
    this.gone(reason);
    this.ws.close(code, reason);
    setTimeout(() => this.ws.terminate(), 5000).unref();
  }

  terminate(): void {
    this.gone(this.closeReason || 'terminated');
    this.ws.terminate();
  }

  private gone(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.closeReason === '') this.closeReason = reason;
    this.outbound.close();
    this.protocol?.onClose();
    this.onGone(this);
  }
}
