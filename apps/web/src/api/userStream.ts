/// <reference lib="dom" />
/**
 * User data over the WebSocket API (`/ws-api/v3`, `userDataStream.subscribe.signature`).
 * Calls `onEvent` for every executionReport / outboundAccountPosition / balanceUpdate; reports
 * 'live' while subscribed, otherwise the caller polls REST.
 */
import { wsBase } from './http.ts';
import { hmacHex } from './sign.ts';
import { serverNow } from './rest.ts';
import type { LinkState } from './streams.ts';
import type { Credentials } from './types.ts';

export interface UserEvent {
  e: string;
  [k: string]: unknown;
}

export function openUserStream(creds: Credentials, onEvent: (ev: UserEvent) => void, onState: (s: LinkState) => void): () => void {
  let ws: WebSocket | undefined;
  let closed = false;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const connect = (): void => {
    if (closed) return;
    const sock = new WebSocket(`${wsBase()}/ws-api/v3`);
    ws = sock;
    sock.onopen = async () => {
      const params: Record<string, string | number> = { apiKey: creds.apiKey, recvWindow: 10_000, timestamp: serverNow() };
      const payload = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&');
      const signature = await hmacHex(creds.secretKey, payload);
      sock.send(JSON.stringify({ id: 'uds', method: 'userDataStream.subscribe.signature', params: { ...params, signature } }));
    };
    sock.onmessage = (ev: MessageEvent) => {
      let msg: { id?: string; status?: number; event?: UserEvent };
      try {
        msg = JSON.parse(String(ev.data)) as typeof msg;
      } catch {
        return;
      }
      if (msg.id === 'uds') {
        if (msg.status === 200) {
          failures = 0;
          onState('live');
        } else sock.close();
      } else if (msg.event && typeof msg.event.e === 'string') onEvent(msg.event);
    };
    sock.onclose = () => {
      if (ws !== sock || closed) return;
      ws = undefined;
      failures++;
      onState(failures >= 2 ? 'polling' : 'reconnecting');
      timer = setTimeout(connect, Math.min(30_000, 1000 * 2 ** Math.min(failures, 5)));
    };
    sock.onerror = () => sock.close();
  };

  onState('connecting');
  connect();
  return () => {
    closed = true;
    clearTimeout(timer);
    ws?.close();
  };
}
