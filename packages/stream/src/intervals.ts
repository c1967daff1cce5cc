/** Binance kline intervals: the one implementation lives in @matchbox/domain. */
export { KLINE_INTERVALS, candleCloseMs, candleOpenMs, isKlineInterval, type KlineInterval } from '@matchbox/domain';
