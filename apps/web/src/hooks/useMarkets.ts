/// <reference lib="dom" />
import { useEffect, useState } from 'react';
import { market, syncClock, toMeta } from '../api/rest.ts';
import { marketSocket } from '../api/streams.ts';
import type { MarketMeta, Ticker24h } from '../api/types.ts';
import { errorText } from '../api/http.ts';
import { useLinkState, usePoll } from './useLink.ts';

interface MiniTicker {
  s: string;
  c: string;
  o: string;
  h: string;
  l: string;
  v: string;
  q: string;
}

export interface MarketsState {
  markets: MarketMeta[];
  tickers: Record<string, Ticker24h>;
  error: string | undefined;
}

function applyMini(prev: Ticker24h | undefined, m: MiniTicker): Ticker24h {
  const open = Number(m.o);
  const change = Number(m.c) - open;
  return {
    ...(prev ?? { symbol: m.s }),
    symbol: m.s, lastPrice: m.c, openPrice: m.o, highPrice: m.h, lowPrice: m.l, volume: m.v, quoteVolume: m.q,
    priceChange: String(change),
    priceChangePercent: open > 0 ? ((change / open) * 100).toFixed(2) : '0.00',
  };
}

/** Every market from exchangeInfo plus its 24h ticker (live from `!miniTicker@arr`, else polled). */
export function useMarkets(): MarketsState {
  const [markets, setMarkets] = useState<MarketMeta[]>([]);
  const [tickers, setTickers] = useState<Record<string, Ticker24h>>({});
  const [error, setError] = useState<string>();
  const link = useLinkState();

  useEffect(() => {
    let alive = true;
    const load = async (): Promise<void> => {
      try {
        const [info] = await Promise.all([market.exchangeInfo(), syncClock()]);
        if (alive) {
          setMarkets(info.symbols.filter((s) => s.status === 'TRADING').map(toMeta));
          setError(undefined);
        }
      } catch (e) {
        if (alive) {
          setError(errorText(e));
          setTimeout(() => void load(), 3000);
        }
      }
    };
    void load();
    return () => {
      alive = false;
    };
  }, []);

  useEffect(
    () =>
      marketSocket.subscribe('!miniTicker@arr', (data) => {
        const arr = data as MiniTicker[];
        setTickers((prev) => {
          const next = { ...prev };
          for (const m of arr) next[m.s] = applyMini(prev[m.s], m);
          return next;
        });
      }),
    [],
  );

  const loadTickers = async (): Promise<void> => {
    const list = await market.tickers();
    setTickers(Object.fromEntries(list.map((t) => [t.symbol, t])));
  };
  // one snapshot always; keep polling while the stream is not live
  usePoll(loadTickers, link === 'live' ? 3_600_000 : 5000, true, [link]);

  return { markets, tickers, error };
}
