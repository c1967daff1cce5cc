import { useEffect, useMemo, useState } from 'react';
import { Header } from './components/Header.tsx';
import { TickerStrip } from './components/TickerStrip.tsx';
import { ChartPanel } from './components/ChartPanel.tsx';
import { OrderBook } from './components/OrderBook.tsx';
import { RecentTrades } from './components/RecentTrades.tsx';
import { OrderForm } from './components/OrderForm.tsx';
import { UserPanel } from './components/UserPanel.tsx';
import { useMarkets } from './hooks/useMarkets.ts';
import { useOrderBook } from './hooks/useOrderBook.ts';
import { useTrades } from './hooks/useTrades.ts';
import { useUserData } from './hooks/useUserData.ts';
import { useSession } from './hooks/session.tsx';
import { StatusPage } from './status/StatusPage.tsx';
import { useRoute } from './status/useRoute.ts';
import './status/status.css';

function initialSymbol(): string {
  return new URLSearchParams(location.search).get('symbol')?.toUpperCase() ?? localStorage.getItem('matchbox.symbol') ?? 'BTCUSDT';
}

export function App() {
  const { markets, tickers, error } = useMarkets();
  const [wanted, setWanted] = useState(initialSymbol);
  const meta = useMemo(() => markets.find((m) => m.symbol === wanted) ?? markets[0], [markets, wanted]);
  const symbol = meta?.symbol ?? '';
  const book = useOrderBook(symbol);
  const trades = useTrades(symbol);
  const session = useSession();
  const user = useUserData(session.creds, symbol, () => void session.signOut());
  const [pickedPrice, setPickedPrice] = useState<{ price: string; n: number }>();
  const route = useRoute();

  useEffect(() => {
    if (!symbol || route === 'status') return;
    localStorage.setItem('matchbox.symbol', symbol);
    const t = tickers[symbol];
    document.title = t ? `${Number(t.lastPrice).toFixed(meta?.priceDecimals ?? 2)} · ${symbol} · Matchbox` : `${symbol} · Matchbox`;
  }, [symbol, tickers, meta, route]);

  return (
    <div className="app">
      <Header markets={markets} tickers={tickers} symbol={symbol} onSymbol={setWanted} userData={user} route={route} />
      {route === 'status' ? <StatusPage /> : error && !meta ? (
        <main className="boot-error" role="alert">Cannot load markets: {error}. Retrying…</main>
      ) : !meta ? (
        <main className="boot-error" aria-busy="true">Loading markets…</main>
      ) : (
        <main className="layout">
          <TickerStrip meta={meta} ticker={tickers[symbol]} />
          <section className="panel area-chart" aria-label="Chart">
            <ChartPanel meta={meta} book={book} />
          </section>
          <section className="panel area-book" aria-label="Order book">
            <OrderBook meta={meta} book={book} lastPrice={trades[0]?.price ?? tickers[symbol]?.lastPrice} lastUp={trades[0] ? !trades[0].isBuyerMaker : true}
              onPick={(price) => setPickedPrice((p) => ({ price, n: (p?.n ?? 0) + 1 }))} />
          </section>
          <section className="panel area-form" aria-label="Place order">
            <OrderForm meta={meta} book={book} user={user} picked={pickedPrice} />
          </section>
          <section className="panel area-trades" aria-label="Recent trades">
            <RecentTrades meta={meta} trades={trades} />
          </section>
          <section className="panel area-user" aria-label="Your orders and balances">
            <UserPanel meta={meta} markets={markets} user={user} />
          </section>
        </main>
      )}
    </div>
  );
}
