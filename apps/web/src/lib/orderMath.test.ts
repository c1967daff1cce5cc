import { describe, expect, it } from 'vitest';
import type { MarketMeta } from '../api/types.ts';
import { amountForPct, buildOrder, estimate, localProblem, stopType, type FormValues } from './orderMath.ts';

const meta: MarketMeta = {
  symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', tickSize: '0.01', stepSize: '0.00001', minQty: '0.00001', minNotional: '5',
  priceDecimals: 2, qtyDecimals: 5, orderTypes: ['LIMIT', 'MARKET', 'LIMIT_MAKER', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
};
const form = (p: Partial<FormValues>): FormValues => ({
  side: 'BUY', kind: 'limit', marketBy: 'amount', price: '', stopPrice: '', qty: '', total: '', tif: 'GTC', postOnly: false, ...p,
});
const free = { base: '0.123456', quote: '1000' };

describe('order entry arithmetic', () => {
  it('25/50/75/100 % never exceed what is available (floored to the step)', () => {
    expect(amountForPct(form({ price: '30000' }), meta, free, '0', 100)).toEqual({ qty: '0.03333' });
    expect(amountForPct(form({ price: '30000' }), meta, free, '0', 25)).toEqual({ qty: '0.00833' });
    expect(amountForPct(form({ side: 'SELL' }), meta, free, '0', 50)).toEqual({ qty: '0.06172' });
    expect(amountForPct(form({ kind: 'market', marketBy: 'total' }), meta, free, '30000', 75)).toEqual({ total: '750.00' });
    expect(amountForPct(form({ price: '' }), meta, free, '0', 50)).toEqual({});
  });

  it('maps the form to Binance order parameters', () => {
    const o = (p: Partial<FormValues>) => {
      const { newClientOrderId, ...rest } = buildOrder(form(p), meta, '30000');
      expect(newClientOrderId).toMatch(/^web-/);
      return rest;
    };
    expect(o({ price: '1', qty: '2' })).toEqual({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '1', quantity: '2' });
    expect(o({ price: '1', qty: '2', postOnly: true })).toMatchObject({ type: 'LIMIT_MAKER' });
    expect(o({ price: '1', qty: '2', tif: 'FOK' })).toMatchObject({ timeInForce: 'FOK' });
    expect(o({ kind: 'market', marketBy: 'total', total: '50' })).toEqual({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quoteOrderQty: '50' });
    expect(o({ kind: 'stop', stopPrice: '31000', price: '31100', qty: '1' })).toMatchObject({ type: 'STOP_LOSS_LIMIT', stopPrice: '31000' });
  });

  it('picks stop-loss or take-profit from where the stop is', () => {
    expect(stopType('BUY', '31000', '30000')).toBe('STOP_LOSS_LIMIT');
    expect(stopType('BUY', '29000', '30000')).toBe('TAKE_PROFIT_LIMIT');
    expect(stopType('SELL', '29000', '30000')).toBe('STOP_LOSS_LIMIT');
    expect(stopType('SELL', '31000', '30000')).toBe('TAKE_PROFIT_LIMIT');
  });

  it('estimates total and fee in the asset received; flags missing input', () => {
    const e = estimate(form({ price: '30000', qty: '0.5' }), meta, '0', { maker: 0.001, taker: 0.002 });
    expect(e).toEqual({ total: 15000, fee: 0.001, feeAsset: 'BTC', approx: false });
    expect(estimate(form({ side: 'SELL', kind: 'market', qty: '1' }), meta, '30000', { maker: 0.001, taker: 0.001 })).toMatchObject({ total: 30000, fee: 30, feeAsset: 'USDT', approx: true });
    expect(localProblem(form({ price: '1' }))).toBe('Enter an amount.');
    expect(localProblem(form({ price: '1.2.3', qty: '1' }))).toBe('A price must be a number.');
  });
});
