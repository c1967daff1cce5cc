/** Every bound of the WebSocket layer in one place (STYLE: put a limit on everything). */
export interface StreamLimits {
  /** Largest incoming frame; bigger ones close the connection with 1009. */
  readonly maxMessageBytes: number;
  /** Streams one market connection may hold (Binance: 1024). */
  readonly maxSubscriptions: number;
  /** Queued + socket-buffered bytes after which a client counts as too slow and is cut off. */
  readonly maxBufferedBytes: number;
  /** Incoming control messages per second on market connections (token bucket refill) and burst; past it the connection is closed. */
  readonly messagesPerSecond: number;
  readonly messageBurst: number;
  /** The same for WS API connections, where bots place orders (the fast path): a much higher bound. */
  readonly apiMessagesPerSecond: number;
  readonly apiMessageBurst: number;
  /** Concurrent connections of one server. */
  readonly maxConnections: number;
  /** Ping period, and how long a client may stay silent (no pong, no message) before it is dropped. */
  readonly pingIntervalMs: number;
  readonly pongTimeoutMs: number;
  /** WS API requests waiting for an answer per connection. */
  readonly maxPendingRequests: number;
}

export const DEFAULT_LIMITS: StreamLimits = {
  maxMessageBytes: 64 * 1024,
  maxSubscriptions: 1024,
  maxBufferedBytes: 4 * 1024 * 1024,
  messagesPerSecond: 10,
  messageBurst: 50,
  apiMessagesPerSecond: 5000,
  apiMessageBurst: 5000,
  maxConnections: 20_000,
  pingIntervalMs: 20_000,
  pongTimeoutMs: 60_000,
  maxPendingRequests: 64,
};

/** A token bucket for incoming messages. */
export class MessageRate {
  private tokens: number;
  private lastMs: number;

  constructor(private readonly perSecond: number, private readonly burst: number, nowMs: number) {
    this.tokens = burst;
    this.lastMs = nowMs;
  }

  take(nowMs: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.lastMs) * this.perSecond) / 1000);
    this.lastMs = nowMs;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
