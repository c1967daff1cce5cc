/// <reference lib="dom" />
import { useEffect, useState } from 'react';
import { market } from '../api/rest.ts';
import { marketSocket } from '../api/streams.ts';
import type { Trade } from '../api/types.ts';
import { useLinkState, usePoll } from './useLink.ts';

interface TradeEvent {
  t: number;
  p: string;
  q: string;
  T: number;
  m: boolean;
}

const KEEP = 60;

/** Recent trades, newest first: REST history, then `@trade` events (or REST polling). */
export function useTrades(symbol: string): Trade[] {
  const [trades, setTrades] = useState<Trade[]>([]);
  const link = useLinkState();

  useEffect(() => setTrades([]), [symbol]);

  const load = async (): Promise<void> => {
    // ids must match the stream's when live (@trade carries trade ids); polling uses cheap aggTrades
    const list = link === 'live' ? await market.trades(symbol, KEEP) : await market.aggTrades(symbol, KEEP);
    setTrades(list.slice().reverse());
  };
  // snapshot on symbol change and on (re)connect; poll while the stream is down
  usePoll(load, link === 'live' ? 3_600_000 : 1500, !!symbol, [symbol, link]);

  useEffect(() => {
    if (link !== 'live' || !symbol) return;
    return marketSocket.subscribe(`${symbol.toLowerCase()}@trade`, (data) => {
      const e = data as TradeEvent;
      const t: Trade = { id: e.t, price: e.p, qty: e.q, quoteQty: '', time: e.T, isBuyerMaker: e.m };
      setTrades((prev) => (prev.some((x) => x.id === t.id) ? prev : [t, ...prev].slice(0, KEEP)));
    });
  }, [symbol, link]);

  return trades;
}
