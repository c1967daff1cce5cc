import { useEffect, useState, type FormEvent } from 'react';
import type { MarketMeta, Side, TimeInForce } from '../api/types.ts';
import { trading } from '../api/rest.ts';
import { errorText } from '../api/http.ts';
import type { BookView } from '../hooks/useOrderBook.ts';
import type { UserData } from '../hooks/useUserData.ts';
import { useSession } from '../hooks/session.tsx';
import { fmt, trimZeros } from '../lib/decimal.ts';
import { amountForPct, buildOrder, estimate, localProblem, type FormValues, type Kind, type MarketBy } from '../lib/orderMath.ts';
import { NumField } from './NumField.tsx';

interface Props {
  meta: MarketMeta;
  book: BookView;
  user: UserData;
  picked: { price: string; n: number } | undefined;
}

const KINDS: { id: Kind; label: string }[] = [{ id: 'limit', label: 'Limit' }, { id: 'market', label: 'Market' }, { id: 'stop', label: 'Stop-limit' }];

export function OrderForm({ meta, book, user, picked }: Props) {
  const session = useSession();
  const [v, setV] = useState<FormValues>({ side: 'BUY', kind: 'limit', marketBy: 'amount', price: '', stopPrice: '', qty: '', total: '', tif: 'GTC', postOnly: false });
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<FormValues>) => {
    setV((cur) => ({ ...cur, ...patch }));
    setError(undefined);
    setNotice(undefined);
  };

  useEffect(() => setV((cur) => ({ ...cur, price: '', stopPrice: '', qty: '', total: '' })), [meta.symbol]);
  useEffect(() => {
    if (picked) setV((cur) => ({ ...cur, price: picked.price }));
  }, [picked]);

  const bal = (a: string) => user.balances.find((b) => b.asset === a)?.free ?? '0';
  const free = { base: bal(meta.baseAsset), quote: bal(meta.quoteAsset) };
  const ref = (v.side === 'BUY' ? book.asks[0]?.[0] : book.bids[0]?.[0]) ?? book.bids[0]?.[0] ?? book.asks[0]?.[0] ?? '0';
  const last = book.bids[0] && book.asks[0] ? String((Number(book.bids[0][0]) + Number(book.asks[0][0])) / 2) : ref;
  const est = estimate(v, meta, ref, { maker: user.makerFeeRate, taker: user.takerFeeRate });
  const availAsset = v.side === 'BUY' ? meta.quoteAsset : meta.baseAsset;
  const avail = v.side === 'BUY' ? free.quote : free.base;

  const pct = (p: number) => set(amountForPct(v, meta, free, ref, p));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!session.creds) return;
    const problem = localProblem(v);
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    try {
      const o = await trading.placeOrder(session.creds, buildOrder(v, meta, last));
      setNotice(`${o.side === 'BUY' ? 'Buy' : 'Sell'} ${o.type.replace(/_/g, ' ').toLowerCase()} order ${o.status.replace(/_/g, ' ').toLowerCase()}: ${fmt(o.executedQty, meta.qtyDecimals)} / ${fmt(o.origQty, meta.qtyDecimals)} ${meta.baseAsset} filled.`);
      setV((cur) => ({ ...cur, qty: '', total: '' }));
      user.refresh();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const sideTab = (s: Side) => (
    <button type="button" role="tab" aria-selected={v.side === s} className={`side-tab ${s === 'BUY' ? 'buy' : 'sell'} ${v.side === s ? 'on' : ''}`} onClick={() => set({ side: s })} data-testid={`side-${s}`}>
      {s === 'BUY' ? 'Buy' : 'Sell'}
    </button>
  );

  return (
    <form className="order-form" onSubmit={submit} data-testid="order-form" noValidate>
      <div className="side-tabs" role="tablist" aria-label="Side">{sideTab('BUY')}{sideTab('SELL')}</div>
      <div className="kind-tabs" role="tablist" aria-label="Order type">
        {KINDS.map((k) => (
          <button key={k.id} type="button" role="tab" aria-selected={v.kind === k.id} className={v.kind === k.id ? 'on' : ''} onClick={() => set({ kind: k.id })} data-testid={`kind-${k.id}`}>{k.label}</button>
        ))}
      </div>
      <div className="avail">
        <span className="muted">Available</span>
        <span data-testid="available">{session.creds ? `${fmt(avail, v.side === 'BUY' ? 2 : meta.qtyDecimals)} ${availAsset}` : '—'}</span>
      </div>
      {v.kind === 'stop' && <NumField label="Stop" unit={meta.quoteAsset} value={v.stopPrice} onChange={(x) => set({ stopPrice: x })} testId="stop-price" />}
      {v.kind !== 'market' && <NumField label="Price" unit={meta.quoteAsset} value={v.price} onChange={(x) => set({ price: x })} testId="price" />}
      {v.kind === 'market' && (
        <div className="seg seg-small" role="radiogroup" aria-label="Market order by">
          {(['amount', 'total'] as MarketBy[]).map((m) => (
            <button key={m} type="button" role="radio" aria-checked={v.marketBy === m} className={v.marketBy === m ? 'seg-on' : ''} onClick={() => set({ marketBy: m })} data-testid={`market-by-${m}`}>
              {m === 'amount' ? `Amount (${meta.baseAsset})` : `Total (${meta.quoteAsset})`}
            </button>
          ))}
        </div>
      )}
      {v.kind === 'market' && v.marketBy === 'total' ? (
        <NumField label="Total" unit={meta.quoteAsset} value={v.total} onChange={(x) => set({ total: x })} testId="total" />
      ) : (
        <NumField label="Amount" unit={meta.baseAsset} value={v.qty} onChange={(x) => set({ qty: x })} testId="qty" />
      )}
      <div className="pcts" role="group" aria-label="Percent of available">
        {[25, 50, 75, 100].map((p) => (
          <button key={p} type="button" onClick={() => pct(p)} disabled={!session.creds} data-testid={`pct-${p}`}>{p}%</button>
        ))}
      </div>
      {v.kind === 'limit' && (
        <div className="limit-opts">
          <label className="check"><input type="checkbox" checked={v.postOnly} onChange={(e) => set({ postOnly: e.target.checked })} data-testid="post-only" /> Post only</label>
          <label className="tif">
            <span>TIF</span>
            <select value={v.tif} disabled={v.postOnly} onChange={(e) => set({ tif: e.target.value as TimeInForce })} aria-label="Time in force" data-testid="tif">
              <option value="GTC">GTC</option><option value="IOC">IOC</option><option value="FOK">FOK</option>
            </select>
          </label>
        </div>
      )}
      <dl className="estimate">
        <div><dt>{est.approx ? 'Est. total' : 'Total'}</dt><dd data-testid="est-total">{est.total !== undefined ? `${est.approx ? '≈ ' : ''}${fmt(est.total, 2)} ${meta.quoteAsset}` : '—'}</dd></div>
        <div><dt>Est. fee</dt><dd data-testid="est-fee">{est.fee !== undefined ? `≈ ${trimZeros(est.fee.toFixed(8))} ${est.feeAsset}` : '—'}</dd></div>
      </dl>
      {session.creds ? (
        <button type="submit" className={`btn btn-block ${v.side === 'BUY' ? 'btn-buy' : 'btn-sell'}`} disabled={busy} data-testid="submit-order">
          {busy ? 'Placing…' : `${v.side === 'BUY' ? 'Buy' : 'Sell'} ${meta.baseAsset}`}
        </button>
      ) : (
        <p className="muted center">Log in or register to trade.</p>
      )}
      {error && <p className="form-error" role="alert" data-testid="order-error">{error}</p>}
      {notice && <p className="form-ok" role="status" data-testid="order-notice">{notice}</p>}
    </form>
  );
}
