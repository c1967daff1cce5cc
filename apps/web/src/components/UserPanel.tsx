import { useState } from 'react';
import type { MarketMeta, Order } from '../api/types.ts';
import { trading } from '../api/rest.ts';
import { errorText } from '../api/http.ts';
import type { UserData } from '../hooks/useUserData.ts';
import { useSession } from '../hooks/session.tsx';
import { SCALE, addDecimals, divUnits, fmt, fromUnits, toUnits } from '../lib/decimal.ts';
import { dateTime } from '../lib/time.ts';

type Tab = 'open' | 'orders' | 'trades' | 'balances';

const label = (s: string) => s.replace(/_/g, ' ').toLowerCase();
const orderTime = (o: Order) => o.time ?? o.transactTime ?? o.updateTime ?? 0;
/** Average fill price, exact: cumulative quote / executed quantity (undefined before a fill). */
const avgPrice = (o: Order): string | undefined => {
  const filled = toUnits(o.executedQty);
  return filled > 0n ? fromUnits(divUnits(toUnits(o.cummulativeQuoteQty), filled)) : undefined;
};

/*
 * One formatting for every number here (`fmt`: exact on the API's decimal strings, grouped):
 * prices with the market's price decimals, quantities with its quantity decimals, asset amounts
 * (balances, fees, quote totals) with the asset scale of 8 places.
 */

export function UserPanel({ meta, markets, user }: { meta: MarketMeta; markets: MarketMeta[]; user: UserData }) {
  const session = useSession();
  const [tab, setTab] = useState<Tab>('open');
  const [error, setError] = useState<string>();
  const decOf = (sym: string) => markets.find((m) => m.symbol === sym) ?? meta;

  const act = async (fn: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await fn();
    } catch (e) {
      setError(errorText(e));
    }
    user.refresh();
  };
  const cancel = (o: Order) => session.creds && act(() => trading.cancelOrder(session.creds!, o.symbol, o.orderId));
  const cancelAll = () => {
    const creds = session.creds;
    if (!creds) return;
    const symbols = [...new Set(user.openOrders.map((o) => o.symbol))];
    void act(() => Promise.all(symbols.map((s) => trading.cancelAll(creds, s))));
  };

  const tabs: { id: Tab; text: string }[] = [
    { id: 'open', text: `Open orders (${user.openOrders.length})` },
    { id: 'orders', text: 'Order history' },
    { id: 'trades', text: 'Trade history' },
    { id: 'balances', text: 'Balances' },
  ];

  return (
    <div className="user-panel">
      <div className="panel-bar">
        <div className="tabs" role="tablist" aria-label="Account views">
          {tabs.map((t) => (
            <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'on' : ''} onClick={() => setTab(t.id)} data-testid={`tab-${t.id}`}>{t.text}</button>
          ))}
        </div>
        {tab === 'open' && user.openOrders.length > 0 && (
          <button type="button" className="btn btn-small btn-ghost" onClick={cancelAll} data-testid="cancel-all">Cancel all</button>
        )}
      </div>
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="scroll" role="tabpanel">
        {!session.creds ? (
          <p className="empty" data-testid="user-panel-empty">Log in to see your orders, trades and balances.</p>
        ) : tab === 'open' ? (
          <table className="grid-table" data-testid="open-orders">
            <thead><tr><th>Time</th><th>Market</th><th>Type</th><th>Side</th><th className="num">Price</th><th className="num">Stop</th><th className="num">Amount</th><th className="num">Filled</th><th><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {user.openOrders.length === 0 && <tr><td colSpan={9} className="empty">No open orders</td></tr>}
              {user.openOrders.map((o) => {
                const m = decOf(o.symbol);
                return (
                  <tr key={o.orderId} data-order-id={o.orderId}>
                    <td>{dateTime(orderTime(o))}</td><td>{o.symbol}</td><td>{label(o.type)}</td>
                    <td className={o.side === 'BUY' ? 'up' : 'down'}>{label(o.side)}</td>
                    <td className="num">{fmt(o.price, m.priceDecimals)}</td>
                    <td className="num">{o.stopPrice && toUnits(o.stopPrice) > 0n ? fmt(o.stopPrice, m.priceDecimals) : '—'}</td>
                    <td className="num">{fmt(o.origQty, m.qtyDecimals)}</td>
                    <td className="num">{fmt(o.executedQty, m.qtyDecimals)}</td>
                    <td className="num"><button type="button" className="btn btn-small btn-ghost" onClick={() => void cancel(o)} aria-label={`Cancel order ${o.orderId}`} data-testid="cancel-order">Cancel</button></td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : tab === 'orders' ? (
          <table className="grid-table" data-testid="order-history">
            <thead><tr><th>Time</th><th>Market</th><th>Type</th><th>Side</th><th className="num">Price</th><th className="num">Amount</th><th className="num">Filled</th><th className="num">Avg price</th><th>Status</th></tr></thead>
            <tbody>
              {user.orders.length === 0 && <tr><td colSpan={9} className="empty">No past orders in {meta.symbol}</td></tr>}
              {user.orders.map((o) => {
                const m = decOf(o.symbol);
                const avg = avgPrice(o);
                return (
                  <tr key={o.orderId}>
                    <td>{dateTime(o.updateTime ?? orderTime(o))}</td><td>{o.symbol}</td><td>{label(o.type)}</td>
                    <td className={o.side === 'BUY' ? 'up' : 'down'}>{label(o.side)}</td>
                    <td className="num">{toUnits(o.price) > 0n ? fmt(o.price, m.priceDecimals) : 'market'}</td>
                    <td className="num">{fmt(o.origQty, m.qtyDecimals)}</td><td className="num">{fmt(o.executedQty, m.qtyDecimals)}</td>
                    <td className="num">{avg !== undefined ? fmt(avg, m.priceDecimals) : '—'}</td>
                    <td>{label(o.status)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : tab === 'trades' ? (
          <table className="grid-table" data-testid="trade-history">
            <thead><tr><th>Time</th><th>Market</th><th>Side</th><th className="num">Price</th><th className="num">Amount</th><th className="num">Total</th><th className="num">Fee</th><th>Role</th></tr></thead>
            <tbody>
              {user.trades.length === 0 && <tr><td colSpan={8} className="empty">No trades in {meta.symbol}</td></tr>}
              {user.trades.map((t) => {
                const m = decOf(t.symbol);
                return (
                  <tr key={t.id} data-trade-id={t.id}>
                    <td>{dateTime(t.time)}</td><td>{t.symbol}</td>
                    <td className={t.isBuyer ? 'up' : 'down'}>{t.isBuyer ? 'buy' : 'sell'}</td>
                    <td className="num">{fmt(t.price, m.priceDecimals)}</td><td className="num">{fmt(t.qty, m.qtyDecimals)}</td>
                    <td className="num">{fmt(t.quoteQty, SCALE)}</td><td className="num">{fmt(t.commission, SCALE)} {t.commissionAsset}</td>
                    <td>{t.isMaker ? 'maker' : 'taker'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : (
          <table className="grid-table" data-testid="balances">
            <thead><tr><th>Asset</th><th className="num">Total</th><th className="num">Available</th><th className="num">In orders</th></tr></thead>
            <tbody>
              {user.balances.length === 0 && <tr><td colSpan={4} className="empty">No balances — use “Get test funds”</td></tr>}
              {user.balances.map((b) => (
                <tr key={b.asset} data-asset={b.asset}>
                  <td><b>{b.asset}</b></td>
                  <td className="num" data-testid={`total-${b.asset}`}>{fmt(addDecimals(b.free, b.locked), SCALE)}</td>
                  <td className="num" data-testid={`free-${b.asset}`}>{fmt(b.free, SCALE)}</td>
                  <td className="num" data-testid={`locked-${b.asset}`}>{fmt(b.locked, SCALE)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
