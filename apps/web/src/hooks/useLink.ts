/// <reference lib="dom" />
import { useEffect, useState } from 'react';
import { marketSocket, type LinkState } from '../api/streams.ts';

/** State of the shared market-data socket; anything but 'live' means views poll REST. */
export function useLinkState(): LinkState {
  const [state, setState] = useState<LinkState>(marketSocket.state);
  useEffect(() => marketSocket.onState(setState), []);
  return state;
}

const NUDGE = 'matchbox:nudge';

/** Asks every active poller to refresh now (after the user's own order or cancel). */
export function nudgePollers(): void {
  window.dispatchEvent(new Event(NUDGE));
}

/** Runs `fn` now, every `ms` and on every nudge while `enabled`; stops on unmount. */
export function usePoll(fn: () => void | Promise<void>, ms: number, enabled: boolean, deps: readonly unknown[]): void {
  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async (): Promise<void> => {
      try {
        await fn();
      } catch {
        // a failed poll is retried on the next tick; views show their own state
      }
      if (!stopped) timer = setTimeout(tick, ms);
    };
    const nudge = (): void => {
      clearTimeout(timer);
      timer = setTimeout(tick, 50);
    };
    window.addEventListener(NUDGE, nudge);
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
      window.removeEventListener(NUDGE, nudge);
    };
  }, [enabled, ms, ...deps]);
}
