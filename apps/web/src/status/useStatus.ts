import { useEffect, useState } from 'react';
import { errorText, request } from '../api/http.ts';
import type { StatusReport, StatusSample } from './types.ts';

export interface StatusState {
  report?: StatusReport;
  /** The history ring as the page knows it: the server's on first load, then extended by `?since=`. */
  samples: StatusSample[];
  error?: string;
}

/** Polls /api/v1/status every `everyMs`; only samples newer than the last one seen are fetched. */
export function useStatus(everyMs = 1000): StatusState {
  const [state, setState] = useState<StatusState>({ samples: [] });

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastT: number | undefined;
    let capacity = 300;
    const poll = async () => {
      try {
        const r = await request<StatusReport>('GET', `/api/v1/status${lastT === undefined ? '' : `?since=${lastT}`}`);
        if (stopped) return;
        capacity = r.history.capacity;
        const fresh = r.history.samples;
        // a restarted server starts a new ring: its times go back, so start over
        const restarted = lastT !== undefined && r.startedAt > lastT;
        if (fresh.length) lastT = fresh[fresh.length - 1]!.t;
        setState((s) => {
          const merged = restarted ? fresh : [...s.samples, ...fresh];
          return { report: r, samples: merged.length > capacity ? merged.slice(merged.length - capacity) : merged };
        });
      } catch (e) {
        if (!stopped) setState((s) => ({ ...s, error: errorText(e) }));
      } finally {
        if (!stopped) timer = setTimeout(() => void poll(), everyMs);
      }
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [everyMs]);

  return state;
}
