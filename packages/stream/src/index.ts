export { MarketDataHub, createMarketDataHub, type MarketDataHubOptions, type DepthSnapshot, type StreamSubscriber, type UserSubscriber, type StreamLogger } from './hub.ts';
export { StreamMessage, textFrame } from './frame.ts';
export { parseStreamName, type StreamSpec } from './stream-name.ts';
export { MarketFormat } from './market-format.ts';
export { KLINE_INTERVALS, candleOpenMs, candleCloseMs, isKlineInterval, type KlineInterval } from './intervals.ts';
export { attachWebSocketServer, route, type WebSocketServerOptions, type AttachedWebSocketServer } from './server.ts';
export { DEFAULT_LIMITS, type StreamLimits } from './limits.ts';
export { sign, signaturePayload, verifySigned, type ApiKeyInfo, type ApiKeyLookup, type WsApiAuth } from './signature.ts';
export { ORDER_API_METHODS, type OrderApi, type OrderApiMethod, type WsApiHandler } from './ws-api-connection.ts';
