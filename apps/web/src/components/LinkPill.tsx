import type { LinkState } from '../api/streams.ts';

const LABEL: Record<LinkState, string> = { live: 'Live', connecting: 'Connecting…', reconnecting: 'Reconnecting…', polling: 'Polling' };
const HINT: Record<LinkState, string> = {
  live: 'Streaming over WebSocket',
  connecting: 'Opening the WebSocket',
  reconnecting: 'WebSocket lost; reconnecting and polling REST meanwhile',
  polling: 'WebSocket unavailable; updating by polling the REST API',
};

export function LinkPill({ state, label }: { state: LinkState; label: string }) {
  return (
    <span className={`pill pill-${state}`} title={`${label}: ${HINT[state]}`} data-testid={`link-${label.toLowerCase()}`} data-state={state}>
      <span className="dot" aria-hidden="true" />
      <span className="pill-label">{label}</span> {LABEL[state]}
    </span>
  );
}
