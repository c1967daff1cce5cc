/// <reference lib="dom" />
import { useEffect, useRef, useState } from 'react';
import { market } from '../api/rest.ts';
import { marketSocket } from '../api/streams.ts';
import type { Level } from '../api/types.ts';
import { LocalBook, type DepthDiff } from '../lib/book.ts';
import { useLinkState, usePoll } from './useLink.ts';

export interface BookView {
  bids: Level[];
  asks: Level[];
  lastUpdateId: number;
  syncing: boolean;
}

const EMPTY: BookView = { bids: [], asks: [], lastUpdateId: -1, syncing: true };
const LEVELS = 400;

/**
 * Live book for `symbol`. With the stream live it follows `@depth@100ms` diffs on top of a REST
 * snapshot and resynchronises on any gap; otherwise it polls REST depth.
 */
export function useOrderBook(symbol: string): BookView {
  const [view, setView] = useState<BookView>(EMPTY);
  const link = useLinkState();
  const book = useRef(new LocalBook());

  useEffect(() => {
    setView(EMPTY);
    book.current.reset();
  }, [symbol]);

  useEffect(() => {
    if (link !== 'live' || !symbol) return;
    const local = new LocalBook();
    book.current = local;
    let buffer: DepthDiff[] = [];
    let loading = false;
    let alive = true;
    let frame = 0;

    const publish = (): void => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        if (alive) setView({ ...local.top(LEVELS), lastUpdateId: local.lastUpdateId, syncing: false });
      });
    };
    const resync = async (): Promise<void> => {
      if (loading) return;
      loading = true;
      local.reset();
      setView((v) => ({ ...v, syncing: true }));
      try {
        const snap = await market.depth(symbol, 1000);
        if (!alive) return;
        local.load(snap);
        const pending = buffer;
        buffer = [];
        for (const d of pending) if (local.apply(d) === 'gap') throw new Error('gap');
        publish();
      } catch {
        if (alive) setTimeout(() => void resync(), 1000);
      } finally {
        loading = false;
      }
    };
    const unsub = marketSocket.subscribe(`${symbol.toLowerCase()}@depth@100ms`, (data) => {
      const d = data as DepthDiff;
      if (!local.ready) {
        buffer.push(d);
        return;
      }
      if (local.apply(d) === 'gap') {
        buffer = [d];
        void resync();
      } else publish();
    });
    void resync();
    return () => {
      alive = false;
      cancelAnimationFrame(frame);
      unsub();
    };
  }, [symbol, link]);

  usePoll(
    async () => {
      const d = await market.depth(symbol, 100);
      setView({ bids: d.bids, asks: d.asks, lastUpdateId: d.lastUpdateId, syncing: false });
    },
    1000,
    link !== 'live' && !!symbol,
    [symbol],
  );

  return view;
}
