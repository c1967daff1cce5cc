/// <reference lib="dom" />
import { useEffect, useState } from 'react';
import { market } from '../api/rest.ts';
import { marketSocket } from '../api/streams.ts';
import type { Candle, KlineRow } from '../api/types.ts';
import { useLinkState, usePoll } from './useLink.ts';

interface KlineEvent {
  k: { t: number; o: string; h: string; l: string; c: string; v: string };
}

const toCandle = (r: KlineRow): Candle => ({
  time: r[0], open: Number(r[1]), high: Number(r[2]), low: Number(r[3]), close: Number(r[4]), volume: Number(r[5]),
});

export interface KlineState {
  key: string; // symbol/interval the candles belong to
  candles: Candle[];
  version: number; // bumps when history is (re)loaded; live updates keep it
}

function merge(prev: Candle[], c: Candle): Candle[] {
  const last = prev[prev.length - 1];
  if (!last || c.time > last.time) return [...prev, c];
  if (c.time === last.time) return [...prev.slice(0, -1), c];
  return prev; // older than the last candle: history already has it
}

/** Candle history from klines, and the live candle from `@kline_<interval>` (or polling). */
export function useKlines(symbol: string, interval: string): KlineState {
  const key = `${symbol}/${interval}`;
  const [state, setState] = useState<KlineState>({ key, candles: [], version: 0 });
  const link = useLinkState();

  useEffect(() => {
    if (!symbol) return;
    let alive = true;
    market.klines(symbol, interval, 500).then(
      (rows) => alive && setState((s) => ({ key, candles: rows.map(toCandle), version: s.version + 1 })),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [key, symbol, interval, link === 'live']); // reload history after reconnecting

  useEffect(() => {
    if (link !== 'live' || !symbol) return;
    return marketSocket.subscribe(`${symbol.toLowerCase()}@kline_${interval}`, (data) => {
      const k = (data as KlineEvent).k;
      const c: Candle = { time: k.t, open: +k.o, high: +k.h, low: +k.l, close: +k.c, volume: +k.v };
      setState((s) => (s.key === key ? { ...s, candles: merge(s.candles, c) } : s));
    });
  }, [key, symbol, interval, link]);

  usePoll(
    async () => {
      const rows = await market.klines(symbol, interval, 3);
      setState((s) => (s.key === key ? { ...s, candles: rows.map(toCandle).reduce(merge, s.candles) } : s));
    },
    interval === '1s' ? 1000 : 2000,
    link !== 'live' && !!symbol,
    [key],
  );

  return state;
}
