import type { FastifyInstance } from 'fastify';
import { errorBody, type EngineEvent, type Market, type OrderEvent, type RejectedEvent } from '@matchbox/domain';
import type { Accepted } from '@matchbox/log';
import type { OrderView } from '../../history/history.ts';
import { ApiError } from '../api-error.ts';
import type { CallReply, GatewayContext } from '../context.ts';
import { cancelResult, fill, myTrade, orderInfo, orderResult } from '../format.ts';
import { clientOrderIdParam, newClientOrderId, parseNewOrder, type NewOrder, type RespType } from '../order-request.ts';
import type { Params } from '../params.ts';

const isOrder = (e: EngineEvent): e is OrderEvent => e.type === 'order';
const isRejected = (e: EngineEvent): e is RejectedEvent => e.type === 'rejected';

/** Orders: place (idempotent on newClientOrderId), test, query, cancel, cancel-replace, lists, trades. */
export function orderRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  // Requests in flight per (user, clientOrderId): a retry racing its original waits for it.
  const inflight = new Map<string, Promise<unknown>>();

  const setCounts = (reply: CallReply, userId: number, counts = ctx.limiter.orderCounts(userId)): void => {
    void reply.header('X-MBX-ORDER-COUNT-10S', String(counts.tenSeconds)).header('X-MBX-ORDER-COUNT-1D', String(counts.day));
  };

  /** The answer for an order that already exists (a retried newClientOrderId). */
  const existingAnswer = async (m: Market, v: OrderView, respType: RespType): Promise<Record<string, unknown>> => {
    const o = v.last;
    if (respType === 'ACK') return ack(o, o.createdTs);
    const result = orderResult(m, o, o.createdTs, v.workingTime);
    if (respType === 'RESULT') return result;
    const fills = (await ctx.history.userTrades(o.userId, o.symbol, { orderId: o.orderId, limit: 1000 })).map((t) => {
      const f = myTrade(m, t);
      return { price: f.price, qty: f.qty, commission: f.commission, commissionAsset: t.commissionAsset, tradeId: t.id };
    });
    return { ...result, fills };
  };

  const placedAnswer = (m: Market, acc: Accepted, order: NewOrder): Record<string, unknown> => {
    const { userId, clientOrderId } = order.fields;
    const mine = acc.events.filter(isOrder).filter((e) => e.userId === userId);
    const first = mine.find((e) => e.execType === 'NEW' && e.clientOrderId === clientOrderId);
    if (first === undefined) throw new Error('placed order has no NEW event');
    const events = mine.filter((e) => e.orderId === first.orderId);
    const final = events[events.length - 1]!;
    if (order.respType === 'ACK') return ack(final, acc.tsMs);
    const result = orderResult(m, final, acc.tsMs, final.workingTs);
    if (order.respType === 'RESULT') return result;
    return { ...result, fills: events.filter((e) => e.execType === 'TRADE').map((e) => fill(m, e)) };
  };

  const place = async (m: Market, order: NewOrder, reply: CallReply): Promise<unknown> => {
    const { userId, clientOrderId } = order.fields;
    const key = `${userId}\u0000${clientOrderId}`;
    const findExisting = async (): Promise<OrderView | undefined> => {
      const v = await ctx.history.orderByClientId(userId, clientOrderId!, m.symbol);
      return v !== undefined && v.last.symbol === m.symbol ? v : undefined;
    };
    let existing = await findExisting();
    if (existing === undefined && inflight.has(key)) {
      await inflight.get(key)!.catch(() => undefined);
      existing = await findExisting();
    }
    if (existing !== undefined) {
      setCounts(reply, userId);
      return existingAnswer(m, existing, order.respType);
    }
    setCounts(reply, userId, ctx.limiter.countOrder(userId));
    const run = ctx.submit({ t: 'place', ...order.fields });
    inflight.set(key, run);
    let acc: Accepted;
    try {
      acc = await run;
    } finally {
      if (inflight.get(key) === run) inflight.delete(key);
    }
    const rejected = acc.events.find(isRejected);
    if (rejected !== undefined) {
      const again = rejected.error === 'DUPLICATE_ORDER' ? await findExisting() : undefined;
      if (again !== undefined) return existingAnswer(m, again, order.respType);
      throw new ApiError(rejected.error);
    }
    return placedAnswer(m, acc, order);
  };

  ctx.route(app, 'POST', '/api/v3/order', { weight: 1, signed: 'TRADE' }, ({ p, auth, reply }) => {
    const m = ctx.market(p);
    const order = parseNewOrder(p, m, auth.userId);
    p.finish();
    return place(m, order, reply);
  });

  ctx.route(app, 'POST', '/api/v3/order/test', { weight: 1, signed: 'TRADE' }, ({ p, auth, reply }) => {
    const m = ctx.market(p);
    parseNewOrder(p, m, auth.userId);
    const rates = p.oneOf('computeCommissionRates', ['true', 'false'], new ApiError('INVALID_PARAMETER', "Invalid value for parameter 'computeCommissionRates'."));
    p.finish();
    setCounts(reply, auth.userId);
    if (rates !== 'true') return {};
    const fee = (ppm: number): string => (ppm / 1e6).toFixed(8);
    return {
      standardCommissionForOrder: { maker: fee(m.makerFeePpm), taker: fee(m.takerFeePpm) },
      taxCommissionForOrder: { maker: '0.00000000', taker: '0.00000000' },
      discount: { enabledForAccount: false, enabledForSymbol: false, discountAsset: 'BNB', discount: '0.00000000' },
    };
  });

  ctx.route(app, 'GET', '/api/v3/order', { weight: 4, signed: 'READ' }, async ({ p, auth }) => {
    const m = ctx.market(p);
    const { orderId, clientOrderId } = orderRef(p, 'orderId', 'origClientOrderId');
    p.finish();
    const v = await (orderId !== undefined ? ctx.history.order(auth.userId, m.symbol, orderId) : ctx.history.orderByClientId(auth.userId, clientOrderId!, m.symbol));
    if (v === undefined || v.last.userId !== auth.userId || v.last.symbol !== m.symbol
      || (clientOrderId !== undefined && v.last.clientOrderId !== clientOrderId)) throw new ApiError('NO_SUCH_ORDER');
    return orderInfo(m, v);
  });

  ctx.route(app, 'DELETE', '/api/v3/order', { weight: 1, signed: 'TRADE' }, async ({ p, auth }) => {
    const m = ctx.market(p);
    const { orderId, clientOrderId } = orderRef(p, 'orderId', 'origClientOrderId');
    const cancelId = clientOrderIdParam(p, 'newClientOrderId') ?? newClientOrderId();
    p.optional('cancelRestrictions');
    p.finish();
    const acc = await ctx.submit({
      t: 'cancel', userId: auth.userId, symbol: m.symbol,
      ...(orderId !== undefined ? { orderId } : {}), ...(clientOrderId !== undefined ? { clientOrderId } : {}),
    });
    const rejected = acc.events.find(isRejected);
    if (rejected !== undefined) throw new ApiError(rejected.error);
    const canceled = acc.events.filter(isOrder).find((e) => e.execType === 'CANCELED' && e.userId === auth.userId)!;
    return cancelResult(m, canceled, acc.tsMs, cancelId);
  });

  ctx.route(app, 'POST', '/api/v3/order/cancelReplace', { weight: 1, signed: 'TRADE' }, async ({ p, auth, reply }) => {
    const m = ctx.market(p);
    const mode = p.oneOf('cancelReplaceMode', ['STOP_ON_FAILURE', 'ALLOW_FAILURE'] as const, new ApiError('INVALID_PARAMETER', "Invalid value for parameter 'cancelReplaceMode'."));
    if (mode === undefined) p.required('cancelReplaceMode');
    const { orderId, clientOrderId } = orderRef(p, 'cancelOrderId', 'cancelOrigClientOrderId');
    const cancelId = clientOrderIdParam(p, 'cancelNewClientOrderId') ?? newClientOrderId();
    p.optional('cancelRestrictions');
    p.optional('orderRateLimitExceededMode');
    const order = parseNewOrder(p, m, auth.userId);
    p.finish();
    setCounts(reply, auth.userId, ctx.limiter.countOrder(auth.userId));
    const acc = await ctx.submit({
      t: 'cancelReplace', userId: auth.userId, symbol: m.symbol, mode: mode!, order: order.fields,
      ...(orderId !== undefined ? { cancelOrderId: orderId } : {}), ...(clientOrderId !== undefined ? { cancelClientOrderId: clientOrderId } : {}),
    });
    return cancelReplaceAnswer(m, acc, order, cancelId, mode!, (o) => placedAnswer(m, acc, o));
  });

  ctx.route(app, 'GET', '/api/v3/openOrders', { weight: 6, signed: 'READ' }, ({ p, auth, req }) => {
    const symbol = p.optional('symbol');
    const m = symbol === undefined ? undefined : ctx.marketOf(symbol);
    p.finish();
    if (m === undefined) ctx.limiter.chargeIp(req.ip, 74);
    return ctx.history.openOrders(auth.userId, m?.symbol).map((v) => orderInfo(ctx.marketOf(v.last.symbol), v));
  });

  ctx.route(app, 'DELETE', '/api/v3/openOrders', { weight: 1, signed: 'TRADE' }, async ({ p, auth }) => {
    const m = ctx.market(p);
    p.finish();
    const acc = await ctx.submit({ t: 'cancelAll', userId: auth.userId, symbol: m.symbol });
    const rejected = acc.events.find(isRejected);
    if (rejected !== undefined) throw new ApiError(rejected.error);
    return acc.events.filter(isOrder).filter((e) => e.execType === 'CANCELED').map((e) => cancelResult(m, e, acc.tsMs, newClientOrderId()));
  });

  ctx.route(app, 'GET', '/api/v3/allOrders', { weight: 20, signed: 'READ' }, async ({ p, auth }) => {
    const m = ctx.market(p);
    const q = rangeParams(p);
    const fromOrderId = p.optionalInt('orderId');
    p.finish();
    return (await ctx.history.orders(auth.userId, m.symbol, { ...q, ...(fromOrderId !== undefined ? { fromOrderId } : {}) })).map((v) => orderInfo(m, v));
  });

  ctx.route(app, 'GET', '/api/v3/myTrades', { weight: 20, signed: 'READ' }, async ({ p, auth }) => {
    const m = ctx.market(p);
    const q = rangeParams(p);
    const orderId = p.optionalInt('orderId');
    const fromId = p.optionalInt('fromId');
    p.finish();
    return (await ctx.history.userTrades(auth.userId, m.symbol, { ...q, ...(orderId !== undefined ? { orderId } : {}), ...(fromId !== undefined ? { fromId } : {}) }))
      .map((t) => myTrade(m, t));
  });
}

function ack(o: OrderEvent, transactTime: number): Record<string, unknown> {
  return { symbol: o.symbol, orderId: o.orderId, orderListId: -1, clientOrderId: o.clientOrderId, transactTime };
}

function orderRef(p: Params, idName: string, clientName: string): { orderId?: number; clientOrderId?: string } {
  const orderId = p.optionalInt(idName);
  const clientOrderId = clientOrderIdParam(p, clientName);
  if (orderId === undefined && clientOrderId === undefined) {
    throw new ApiError('MANDATORY_PARAM_EMPTY_OR_MALFORMED', `Param '${clientName}' or '${idName}' must be sent, but both were empty/null!`);
  }
  return { ...(orderId !== undefined ? { orderId } : {}), ...(clientOrderId !== undefined ? { clientOrderId } : {}) };
}

function rangeParams(p: Params): { limit: number; startTime?: number; endTime?: number } {
  const startTime = p.optionalInt('startTime');
  const endTime = p.optionalInt('endTime');
  const limit = p.optionalInt('limit', 1, 1000) ?? 500;
  if (startTime !== undefined && endTime !== undefined && endTime < startTime) throw new ApiError('INVALID_PARAMETER', 'startTime must be before endTime.');
  return { limit, ...(startTime !== undefined ? { startTime } : {}), ...(endTime !== undefined ? { endTime } : {}) };
}

/** Binance's cancelReplace answer: both parts' results, -2022 / -2021 bodies when a part failed. */
function cancelReplaceAnswer(
  m: Market, acc: Accepted, order: NewOrder, cancelId: string, mode: 'STOP_ON_FAILURE' | 'ALLOW_FAILURE',
  placed: (o: NewOrder) => Record<string, unknown>,
): unknown {
  const userId = order.fields.userId;
  const canceled = acc.events.filter(isOrder).find((e) => e.execType === 'CANCELED' && e.userId === userId);
  const rejects = acc.events.filter(isRejected);
  const cancelError = canceled === undefined ? rejects[0] : undefined;
  const newError = canceled === undefined ? rejects[1] : rejects[0];
  const cancelResponse = canceled !== undefined ? cancelResult(m, canceled, acc.tsMs, cancelId) : errorBody(cancelError?.error ?? 'UNKNOWN_ORDER');
  const attempted = canceled !== undefined || mode === 'ALLOW_FAILURE';
  const newOk = attempted && newError === undefined;
  const newOrderResponse = newOk ? placed(order) : newError !== undefined ? errorBody(newError.error) : null;
  const data = {
    cancelResult: canceled !== undefined ? 'SUCCESS' : 'FAILURE',
    newOrderResult: newOk ? 'SUCCESS' : attempted ? 'FAILURE' : 'NOT_ATTEMPTED',
    cancelResponse, newOrderResponse,
  };
  if (canceled !== undefined && newOk) return data;
  throw new ApiError(canceled !== undefined || newOk ? 'CANCEL_REPLACE_PARTIAL' : 'CANCEL_REPLACE_FAILED', undefined, { data });
}
