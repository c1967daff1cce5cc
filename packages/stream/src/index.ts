export { MarketDataHub, createMarketDataHub, type MarketDataHubOptions, type DepthSnapshot, type StreamSubscriber, type UserSubscriber, type StreamLogger } from './hub.ts';
export { StreamMessage, textFrame } from './frame.ts';
export { parseStreamName, type StreamSpec } from './stream-name.ts';
export { MarketFormat } from './market-format.ts';
export { KLINE_INTERVALS, candleOpenMs, candleCloseMs, isKlineInterval, type KlineInterval } from './intervals.ts';
