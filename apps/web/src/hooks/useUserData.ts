/// <reference lib="dom" />
import { useCallback, useEffect, useRef, useState } from 'react';
import { trading } from '../api/rest.ts';
import { openUserStream } from '../api/userStream.ts';
import type { LinkState } from '../api/streams.ts';
import type { Account, Balance, Credentials, MyTrade, Order } from '../api/types.ts';
import { ApiError } from '../api/http.ts';
import { nudgePollers, usePoll } from './useLink.ts';

export interface UserData {
  balances: Balance[];
  openOrders: Order[];
  orders: Order[];
  trades: MyTrade[];
  link: LinkState;
  takerFeeRate: number;
  makerFeeRate: number;
  /** Re-reads everything now (after the user's own actions). */
  refresh(): void;
}

const NONE: Omit<UserData, 'refresh' | 'link'> = { balances: [], openOrders: [], orders: [], trades: [], takerFeeRate: 0.001, makerFeeRate: 0.001 };

/** Account, orders and trades of the signed-in user: refreshed by the user data stream, else polled. */
export function useUserData(creds: Credentials | undefined, symbol: string, onAuthLost: () => void): UserData {
  const [data, setData] = useState(NONE);
  const [link, setLink] = useState<LinkState>('connecting');
  const [tick, setTick] = useState(0);
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);

  const refresh = useCallback(() => {
    clearTimeout(pending.current);
    pending.current = setTimeout(() => {
      setTick((t) => t + 1);
      nudgePollers(); // market views that poll see the order's effect at once, too
    }, 30);
  }, []);

  const lost = useRef(onAuthLost);
  lost.current = onAuthLost;
  const seen = useRef('');
  const historyAt = useRef(0);

  /**
   * Balances and open orders on every call; the (heavier) histories only when those changed,
   * on an explicit refresh, or every 15 s — polling stays far below the IP weight limit.
   */
  const load = useCallback(async (force = false) => {
    if (!creds || !symbol) return;
    let acct: Account;
    let open: Order[];
    try {
      [acct, open] = await Promise.all([trading.account(creds), trading.openOrders(creds)]);
    } catch (e) {
      // the key was revoked (or the exchange was reset): the user must sign in again
      if (e instanceof ApiError && (e.code === -2015 || e.code === -2014)) lost.current();
      throw e;
    }
    const sig = JSON.stringify([acct.balances, open.map((o) => [o.orderId, o.executedQty, o.status])]);
    const stale = force || sig !== seen.current || Date.now() - historyAt.current > 15_000;
    seen.current = sig;
    const hist = stale ? await Promise.all([trading.allOrders(creds, symbol, 50), trading.myTrades(creds, symbol, 50)]) : undefined;
    if (hist) historyAt.current = Date.now();
    setData((prev) => ({
      balances: acct.balances,
      openOrders: open.sort((a, b) => (b.time ?? 0) - (a.time ?? 0)),
      orders: hist
        ? hist[0].filter((o) => o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED').sort((a, b) => (b.updateTime ?? b.time ?? 0) - (a.updateTime ?? a.time ?? 0))
        : prev.orders,
      trades: hist ? hist[1].sort((a, b) => b.time - a.time) : prev.trades,
      // Binance reports commissions in basis points (10 = 0.1 %)
      takerFeeRate: acct.takerCommission / 10_000,
      makerFeeRate: acct.makerCommission / 10_000,
    }));
  }, [creds, symbol]);

  useEffect(() => {
    if (!creds) {
      setData(NONE);
      return;
    }
    return openUserStream(creds, () => refresh(), setLink);
  }, [creds, refresh]);

  useEffect(() => {
    void load(true).catch(() => undefined);
  }, [load, tick]);

  usePoll(() => load(), 2000, !!creds && link !== 'live', [load]);

  return { ...data, link, refresh };
}
