import type { MarketMeta, Trade } from '../api/types.ts';
import { fmt } from '../lib/decimal.ts';
import { clock } from '../lib/time.ts';

/** Market trades, newest first; green when the buyer took liquidity, red when the seller did. */
export function RecentTrades({ meta, trades }: { meta: MarketMeta; trades: Trade[] }) {
  return (
    <div className="trades" data-testid="recent-trades" data-count={trades.length}>
      <div className="panel-bar"><h2 className="panel-title">Recent trades</h2></div>
      <div className="scroll">
        <table className="book-table">
          <thead><tr><th className="num">Price ({meta.quoteAsset})</th><th className="num">Size ({meta.baseAsset})</th><th className="num">Time</th></tr></thead>
          <tbody>
            {trades.length === 0 && <tr><td colSpan={3} className="empty">No trades yet</td></tr>}
            {trades.map((t) => (
              <tr key={t.id} className="trade-row" title={t.isBuyerMaker ? 'Seller took liquidity' : 'Buyer took liquidity'}>
                <td className={`num ${t.isBuyerMaker ? 'down' : 'up'}`}>{fmt(t.price, meta.priceDecimals)}</td>
                <td className="num">{fmt(t.qty, meta.qtyDecimals)}</td>
                <td className="num muted">{clock(t.time)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
