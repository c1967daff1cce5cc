/**
 * The one result-code catalogue. Every reject in Matchbox (engine, gateway, WebSocket) has a name
 * here, mapped to the Binance code, message and HTTP status that Binance clients (ccxt) expect.
 * Grouped by module in Binance's own ranges: -1000 general/server, -1100 request, -2000 orders,
 * -1013 filters.
 */
export interface ErrorSpec {
  readonly code: number;
  readonly msg: string;
  readonly http: number;
}

const spec = (code: number, msg: string, http = 400): ErrorSpec => ({ code, msg, http });

export const ERRORS = {
  // -10xx: server and connectivity
  UNKNOWN: spec(-1000, 'An unknown error occurred while processing the request.', 500),
  UNAUTHORIZED: spec(-1002, 'You are not authorized to execute this request.', 401),
  TOO_MANY_REQUESTS: spec(-1003, 'Too many requests; please use the WebSocket for live updates to avoid polling the API.', 429),
  TIMEOUT: spec(-1007, 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.', 503),
  SERVER_BUSY: spec(-1008, 'Server is currently overloaded with other requests. Please try again in a few minutes.', 503),
  UNSUPPORTED_OPERATION: spec(-1020, 'This operation is not supported.'),
  INVALID_TIMESTAMP: spec(-1021, 'Timestamp for this request is outside of the recvWindow.'),
  INVALID_SIGNATURE: spec(-1022, 'Signature for this request is not valid.'),
  NOT_FOUND: spec(-1099, 'Not found, unauthenticated, or unauthorized.', 404),
  // -11xx: request content
  ILLEGAL_CHARS: spec(-1100, 'Illegal characters found in a parameter.'),
  TOO_MANY_PARAMETERS: spec(-1101, 'Duplicate values for a parameter detected.'),
  MANDATORY_PARAM_EMPTY_OR_MALFORMED: spec(-1102, 'A mandatory parameter was not sent, was empty/null, or malformed.'),
  UNKNOWN_PARAM: spec(-1103, 'An unknown parameter was sent.'),
  UNREAD_PARAMETERS: spec(-1104, 'Not all sent parameters were read.'),
  PARAM_EMPTY: spec(-1105, 'A parameter was empty.'),
  PARAM_NOT_REQUIRED: spec(-1106, 'A parameter was sent when not required.'),
  BAD_PRECISION: spec(-1111, 'Precision is over the maximum defined for this asset.'),
  TIF_NOT_REQUIRED: spec(-1114, 'TimeInForce parameter sent when not required.'),
  INVALID_TIF: spec(-1115, 'Invalid timeInForce.'),
  INVALID_ORDER_TYPE: spec(-1116, 'Invalid orderType.'),
  INVALID_SIDE: spec(-1117, 'Invalid side.'),
  EMPTY_NEW_CL_ORD_ID: spec(-1118, 'New client order ID was empty.'),
  BAD_INTERVAL: spec(-1120, 'Invalid interval.'),
  BAD_SYMBOL: spec(-1121, 'Invalid symbol.'),
  INVALID_PARAMETER: spec(-1130, 'Invalid data sent for a parameter.'),
  INVALID_STP_MODE: spec(-1130, 'Invalid selfTradePreventionMode.'),
  BAD_RECV_WINDOW: spec(-1131, 'recvWindow must be less than 60000'),
  REQUEST_TOO_LARGE: spec(-1104, 'Request body is too large.', 413),
  // -1013: filters (PRICE_FILTER, LOT_SIZE, NOTIONAL, MARKET_LOT_SIZE, MAX_NUM_ORDERS)
  FILTER_PRICE: spec(-1013, 'Filter failure: PRICE_FILTER'),
  FILTER_LOT_SIZE: spec(-1013, 'Filter failure: LOT_SIZE'),
  FILTER_MARKET_LOT_SIZE: spec(-1013, 'Filter failure: MARKET_LOT_SIZE'),
  FILTER_NOTIONAL: spec(-1013, 'Filter failure: NOTIONAL'),
  FILTER_MAX_NUM_ORDERS: spec(-1013, 'Filter failure: MAX_NUM_ORDERS'),
  INVALID_STOP_PRICE: spec(-1013, 'Stop price is invalid.'),
  // -20xx: orders and accounts
  INSUFFICIENT_BALANCE: spec(-2010, 'Account has insufficient balance for requested action.'),
  WOULD_TAKE: spec(-2010, 'Order would immediately match and take.'),
  WOULD_TRIGGER: spec(-2010, 'Order would trigger immediately.'),
  DUPLICATE_ORDER: spec(-2010, 'Duplicate order sent.'),
  ORDER_OVERFLOW: spec(-2010, 'Order amount exceeds the maximum this exchange can represent.'),
  UNKNOWN_ORDER: spec(-2011, 'Unknown order sent.'),
  NO_SUCH_ORDER: spec(-2013, 'Order does not exist.'),
  BAD_API_KEY_FMT: spec(-2014, 'API-key format invalid.'),
  REJECTED_MBX_KEY: spec(-2015, 'Invalid API-key, IP, or permissions for action.', 401),
  CANCEL_REPLACE_PARTIAL: spec(-2021, 'Order cancel-replace partially failed.', 409),
  CANCEL_REPLACE_FAILED: spec(-2022, 'Order cancel-replace failed.'),
  // Matchbox account commands (users, keys, funds); codes in Binance's unused -40xx range
  UNKNOWN_USER: spec(-4001, 'Unknown user.'),
  USERNAME_TAKEN: spec(-4002, 'Username is already taken.'),
  DUPLICATE_API_KEY: spec(-4003, 'API key already exists.'),
  UNKNOWN_API_KEY: spec(-4004, 'Unknown API key.'),
  UNKNOWN_ASSET: spec(-4005, 'Unknown asset.'),
  INVALID_AMOUNT: spec(-4006, 'Amount must be a positive integer number of units within range.'),
  BALANCE_OVERFLOW: spec(-4007, 'Balance would exceed the maximum this exchange can represent.'),
  TOO_MANY_API_KEYS: spec(-4008, 'Too many API keys for this user.'),
} as const satisfies Record<string, ErrorSpec>;

export type ErrorName = keyof typeof ERRORS;

export function errorSpec(name: ErrorName): ErrorSpec {
  return ERRORS[name];
}

/** The Binance JSON error body: `{"code": -1121, "msg": "Invalid symbol."}`. */
export function errorBody(name: ErrorName, msg?: string): { code: number; msg: string } {
  const e = ERRORS[name];
  return { code: e.code, msg: msg ?? e.msg };
}
