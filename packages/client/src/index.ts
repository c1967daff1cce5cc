export { MatchboxClient, type ClientOptions, type Credentials, type UsedWeight } from './rest-client.ts';
export { WsApiClient, type WsApiOptions } from './ws-api-client.ts';
export { MatchboxApiError } from './errors.ts';
export { SymbolRules } from './symbol-rules.ts';
export { HttpTransport, type HttpAnswer, type TransportOptions } from './http-transport.ts';
export { encodeParams, signPayload, signSortedParams, type Params } from './signing.ts';
export type * from './types.ts';
