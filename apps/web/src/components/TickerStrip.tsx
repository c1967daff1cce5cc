import type { MarketMeta, Ticker24h } from '../api/types.ts';
import { compact, fmt } from '../lib/decimal.ts';

export function TickerStrip({ meta, ticker }: { meta: MarketMeta; ticker: Ticker24h | undefined }) {
  const pct = Number(ticker?.priceChangePercent ?? 0);
  const dir = pct > 0 ? 'up' : pct < 0 ? 'down' : '';
  return (
    <section className="ticker-strip" aria-label="24 hour statistics" data-testid="ticker">
      <div className={`last ${dir}`} data-testid="last-price">{fmt(ticker?.lastPrice, meta.priceDecimals)}</div>
      <dl>
        <div><dt>24h change</dt><dd className={dir}>{ticker ? `${fmt(ticker.priceChange, meta.priceDecimals)} ${pct > 0 ? '+' : ''}${pct.toFixed(2)}%` : '—'}</dd></div>
        <div><dt>24h high</dt><dd>{fmt(ticker?.highPrice, meta.priceDecimals)}</dd></div>
        <div><dt>24h low</dt><dd>{fmt(ticker?.lowPrice, meta.priceDecimals)}</dd></div>
        <div><dt>24h vol ({meta.baseAsset})</dt><dd>{ticker ? compact(ticker.volume) : '—'}</dd></div>
        <div className="hide-sm"><dt>24h vol ({meta.quoteAsset})</dt><dd>{ticker ? compact(ticker.quoteVolume) : '—'}</dd></div>
      </dl>
    </section>
  );
}
