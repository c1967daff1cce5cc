import { useMemo, useState } from 'react';
import type { MarketMeta } from '../api/types.ts';
import type { BookView } from '../hooks/useOrderBook.ts';
import { groupLevels, type Row } from '../lib/book.ts';
import { decimalsOf, fmt } from '../lib/decimal.ts';

interface Props {
  meta: MarketMeta;
  book: BookView;
  lastPrice: string | undefined;
  lastUp: boolean;
  onPick(price: string): void;
}

const ROWS = 14;

/** Cumulative-size bar drawn as the row's background, growing from the right edge. */
const bar = (side: 'bid' | 'ask', pct: number) => {
  const c = side === 'bid' ? 'var(--up-bg)' : 'var(--down-bg)';
  return `linear-gradient(to left, ${c} ${pct.toFixed(1)}%, transparent ${pct.toFixed(1)}%)`;
};

/** Grouping steps offered: the tick size and its ×10 multiples (up to 4 choices). */
function steps(tick: string): string[] {
  const base = Number(tick);
  const out: string[] = [];
  for (let i = 0; i < 4; i++) {
    const v = base * 10 ** i;
    out.push(v >= 1 ? String(Math.round(v)) : v.toFixed(decimalsOf(tick) - i));
  }
  return out;
}

export function OrderBook({ meta, book, lastPrice, lastUp, onPick }: Props) {
  const options = useMemo(() => steps(meta.tickSize), [meta.tickSize]);
  const [group, setGroup] = useState<string>('');
  const step = options.includes(group) ? group : options[0]!;
  const dec = decimalsOf(step);
  const bids = useMemo(() => groupLevels(book.bids, Number(step), 'bid', ROWS), [book.bids, step]);
  const asks = useMemo(() => groupLevels(book.asks, Number(step), 'ask', ROWS), [book.asks, step]);
  const max = Math.max(bids[bids.length - 1]?.total ?? 0, asks[asks.length - 1]?.total ?? 0);
  const bestBid = book.bids[0]?.[0];
  const bestAsk = book.asks[0]?.[0];
  const spread = bestBid && bestAsk ? Number(bestAsk) - Number(bestBid) : undefined;

  const row = (r: Row, side: 'bid' | 'ask') => {
    const price = r.price.toFixed(dec);
    return (
      <tr key={price} className={`book-row ${side}`} tabIndex={0} style={{ background: bar(side, max ? (r.total / max) * 100 : 0) }} aria-label={`${side === 'bid' ? 'Bid' : 'Ask'} ${price}, size ${r.qty}`}
        onClick={() => onPick(price)} onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), onPick(price))}>
        <td className={`num price ${side === 'bid' ? 'up' : 'down'}`}>
          {fmt(r.price, dec)}
        </td>
        <td className="num">{fmt(r.qty, meta.qtyDecimals)}</td>
        <td className="num">{fmt(r.total, meta.qtyDecimals)}</td>
      </tr>
    );
  };

  return (
    <div className="book" data-testid="order-book" data-bids={book.bids.length} data-asks={book.asks.length}>
      <div className="panel-bar">
        <h2 className="panel-title">Order book</h2>
        <label className="group-select">
          <span className="sr-only">Price grouping</span>
          <select value={step} onChange={(e) => setGroup(e.target.value)} aria-label="Price grouping" data-testid="book-grouping">
            {options.map((o) => <option key={o} value={o}>{o}</option>)}
          </select>
        </label>
      </div>
      <table className="book-table">
        <thead>
          <tr><th className="num">Price ({meta.quoteAsset})</th><th className="num">Size ({meta.baseAsset})</th><th className="num">Total</th></tr>
        </thead>
        <tbody className="asks">
          {Array.from({ length: ROWS - asks.length }, (_, i) => <tr key={`pa${i}`} className="book-row pad" aria-hidden="true"><td colSpan={3} /></tr>)}
          {asks.slice().reverse().map((r) => row(r, 'ask'))}
        </tbody>
        <tbody>
          <tr className="book-mid">
            <td className={`num mid-price ${lastUp ? 'up' : 'down'}`} data-testid="book-last">{lastPrice ? fmt(lastPrice, meta.priceDecimals) : '—'}{lastPrice && (lastUp ? ' ↑' : ' ↓')}</td>
            <td className="num muted" colSpan={2} data-testid="book-spread">
              {spread !== undefined ? `Spread ${fmt(spread, meta.priceDecimals)} (${((spread / Number(bestAsk)) * 100).toFixed(3)}%)` : book.syncing ? 'Syncing…' : 'No spread'}
            </td>
          </tr>
        </tbody>
        <tbody className="bids">
          {bids.map((r) => row(r, 'bid'))}
          {Array.from({ length: ROWS - bids.length }, (_, i) => <tr key={`pb${i}`} className="book-row pad" aria-hidden="true"><td colSpan={3} /></tr>)}
        </tbody>
      </table>
    </div>
  );
}
