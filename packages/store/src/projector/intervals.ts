/** Binance kline intervals and their UTC bucket boundaries, under the store's names; see @matchbox/domain. */
export {
  KLINE_INTERVALS as INTERVALS,
  isKlineInterval as isInterval,
  candleOpenMs as openTimeOf,
  candleCloseMs as closeTimeOf,
  type KlineInterval as Interval,
} from '@matchbox/domain';
