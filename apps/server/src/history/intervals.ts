/** Binance kline intervals and how to find the candle a time falls in (UTC); see @matchbox/domain. */
import { candleCloseMs, candleOpenMs, isKlineInterval, type KlineInterval } from '@matchbox/domain';

export const isInterval: (s: string) => boolean = isKlineInterval;

/** Open time of the candle holding `t` (NaN for an unknown interval). */
export function bucketStart(interval: string, t: number): number {
  return candleOpenMs(interval as KlineInterval, t);
}

/** Close time (inclusive, like Binance: open of the next candle − 1 ms). */
export function bucketEnd(interval: string, openTime: number): number {
  return candleCloseMs(interval as KlineInterval, openTime);
}
