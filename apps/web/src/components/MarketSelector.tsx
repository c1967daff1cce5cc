import { useEffect, useRef, useState } from 'react';
import type { MarketMeta, Ticker24h } from '../api/types.ts';
import { compact, fmt } from '../lib/decimal.ts';

interface Props {
  markets: MarketMeta[];
  tickers: Record<string, Ticker24h>;
  symbol: string;
  onSymbol(s: string): void;
}

/** Button that opens a searchable table of every market with its 24h stats. */
export function MarketSelector({ markets, tickers, symbol, onSymbol }: Props) {
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const box = useRef<HTMLDivElement>(null);
  const meta = markets.find((m) => m.symbol === symbol);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  const list = markets.filter((m) => m.symbol.includes(q.trim().toUpperCase()));
  const pick = (s: string) => {
    onSymbol(s);
    setOpen(false);
    setQ('');
  };

  return (
    <div className="market-selector" ref={box} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <button type="button" className="market-btn" aria-haspopup="listbox" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="market-selector">
        <span className="market-sym">{meta ? `${meta.baseAsset}/${meta.quoteAsset}` : symbol}</span>
        <span className="caret" aria-hidden="true">▾</span>
      </button>
      {open && (
        <div className="market-pop" role="dialog" aria-label="Markets">
          <input autoFocus className="input" placeholder="Search markets" aria-label="Search markets" value={q} onChange={(e) => setQ(e.target.value)} />
          <table className="market-table">
            <thead>
              <tr><th>Market</th><th className="num">Last</th><th className="num">24h</th><th className="num hide-sm">High</th><th className="num hide-sm">Low</th><th className="num">Volume</th></tr>
            </thead>
            <tbody>
              {list.map((m) => {
                const t = tickers[m.symbol];
                const pct = Number(t?.priceChangePercent ?? 0);
                return (
                  <tr key={m.symbol} className={m.symbol === symbol ? 'active' : ''} tabIndex={0} role="option" aria-selected={m.symbol === symbol}
                    onClick={() => pick(m.symbol)} onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), pick(m.symbol))}
                    data-testid={`market-${m.symbol}`}>
                    <td><b>{m.baseAsset}</b><span className="muted">/{m.quoteAsset}</span></td>
                    <td className="num">{fmt(t?.lastPrice, m.priceDecimals)}</td>
                    <td className={`num ${pct > 0 ? 'up' : pct < 0 ? 'down' : ''}`}>{t ? `${pct > 0 ? '+' : ''}${pct.toFixed(2)}%` : '—'}</td>
                    <td className="num hide-sm">{fmt(t?.highPrice, m.priceDecimals)}</td>
                    <td className="num hide-sm">{fmt(t?.lowPrice, m.priceDecimals)}</td>
                    <td className="num">{t ? compact(t.quoteVolume) : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
