import type { StreamMessage } from './frame.ts';
import type { MarketDataHub, StreamSubscriber } from './hub.ts';
import type { ClientSocket, Protocol } from './client-socket.ts';

type RequestId = number | string | null;

/** Binance's error replies for the market-stream control protocol. */
const INVALID_JSON = 3;
const INVALID_REQUEST = 2;
const INVALID_VALUE = 1;
const UNKNOWN_PROPERTY = 0;

class RequestError extends Error {
  constructor(readonly code: number, msg: string, readonly id: RequestId = null) {
    super(msg);
  }
}

/**
 * A market-stream connection (`/ws/…` raw or `/stream?streams=…` combined): the control protocol
 * (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY/GET_PROPERTY combined) and delivery of
 * hub messages in the connection's framing. Replies share the data queue, so an ack is never
 * overtaken by data sent after it.
 */
export class MarketConnection implements StreamSubscriber, Protocol {
  private readonly streams = new Set<string>();

  constructor(
    private readonly client: ClientSocket,
    private readonly hub: MarketDataHub,
    private combined: boolean,
    private readonly maxSubscriptions: number,
  ) {}

  /** Streams named in the URL; invalid names are ignored, as ccxt's `/ws/<n>` paths expect. */
  subscribeInitial(names: readonly string[]): void {
    for (const name of names) {
      if (this.streams.size >= this.maxSubscriptions) break;
      const spec = this.hub.parse(name);
      if (typeof spec === 'string' || this.streams.has(name)) continue;
      this.streams.add(name);
      this.hub.subscribe(name, spec, this);
    }
  }

  deliver(msg: StreamMessage): void {
    this.client.outbound.push(msg.frame(this.combined));
  }

  onText(text: string): void {
    let id: RequestId = null;
    try {
      const req = parseRequest(text);
      id = req.id;
      this.client.sendJson({ result: this.handle(req.method, req.params), id });
    } catch (err) {
      if (!(err instanceof RequestError)) throw err;
      this.client.sendJson({ error: { code: err.code, msg: err.message }, id: id ?? err.id });
    }
  }

  private handle(method: string, params: unknown[] | undefined): unknown {
    switch (method) {
      case 'SUBSCRIBE': return this.subscribe(stringParams(params));
      case 'UNSUBSCRIBE': return this.unsubscribe(stringParams(params));
      case 'LIST_SUBSCRIPTIONS': return [...this.streams];
      case 'SET_PROPERTY': return this.setProperty(params ?? []);
      case 'GET_PROPERTY': {
        if (params?.[0] !== 'combined') throw new RequestError(UNKNOWN_PROPERTY, 'Unknown property');
        return this.combined;
      }
      default:
        throw new RequestError(INVALID_REQUEST, `Invalid request: unknown variant ${method}, expected one of SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY, GET_PROPERTY`);
    }
  }

  private subscribe(names: string[]): null {
    const fresh = names.filter((n) => !this.streams.has(n));
    if (this.streams.size + new Set(fresh).size > this.maxSubscriptions) {
      throw new RequestError(INVALID_REQUEST, `Invalid request: too many subscriptions (limit ${this.maxSubscriptions})`);
    }
    const specs = fresh.map((name) => {
      const spec = this.hub.parse(name);
      if (typeof spec === 'string') throw new RequestError(INVALID_REQUEST, `Invalid request: ${spec}`);
      return { name, spec };
    });
    for (const { name, spec } of specs) {
      if (this.streams.has(name)) continue;
      this.streams.add(name);
      this.hub.subscribe(name, spec, this);
    }
    return null;
  }

  private unsubscribe(names: string[]): null {
    for (const name of names) {
      if (!this.streams.delete(name)) continue;
      this.hub.unsubscribe(name, this);
    }
    return null;
  }

  private setProperty(params: unknown[]): null {
    if (params[0] !== 'combined') throw new RequestError(UNKNOWN_PROPERTY, 'Unknown property');
    if (typeof params[1] !== 'boolean') throw new RequestError(INVALID_VALUE, 'Invalid value type: expected Boolean');
    this.combined = params[1];
    return null;
  }

  onClose(): void {
    for (const name of this.streams) this.hub.unsubscribe(name, this);
    this.streams.clear();
  }

  subscriptions(): string[] {
    return [...this.streams];
  }
}

const MAX_PARAMS = 1024;

function parseRequest(text: string): { id: RequestId; method: string; params: unknown[] | undefined } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RequestError(INVALID_JSON, 'Invalid JSON: expected value');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RequestError(INVALID_REQUEST, 'Invalid request: expected an object');
  const req = value as Record<string, unknown>;
  const id = req.id;
  if (!(id === null || id === undefined || (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) || (typeof id === 'string' && id.length <= 64))) {
    throw new RequestError(INVALID_REQUEST, 'Invalid request: request ID must be an unsigned integer or a string');
  }
  const validId: RequestId = (id as RequestId | undefined) ?? null;
  if (typeof req.method !== 'string') throw new RequestError(INVALID_REQUEST, 'Invalid request: missing field `method`', validId);
  if (req.params !== undefined && !Array.isArray(req.params)) throw new RequestError(INVALID_REQUEST, 'Invalid request: params must be an array', validId);
  const params = req.params as unknown[] | undefined;
  if (params !== undefined && params.length > MAX_PARAMS) throw new RequestError(INVALID_REQUEST, 'Invalid request: too many parameters', validId);
  return { id: validId, method: req.method, params };
}

function stringParams(params: unknown[] | undefined): string[] {
  if (params === undefined || params.length === 0) throw new RequestError(INVALID_REQUEST, 'Invalid request: missing field `params`');
  for (const p of params) if (typeof p !== 'string') throw new RequestError(INVALID_REQUEST, 'Invalid request: stream names must be strings');
  return params as string[];
}
