import type { FastifyInstance } from 'fastify';
import { ApiError } from '../api-error.ts';
import type { GatewayContext } from '../context.ts';
import { units } from '../format.ts';

/** GET /api/v3/account: balances and commissions of the key's user. */
export function accountRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  ctx.route(app, 'GET', '/api/v3/account', { weight: 20, signed: 'READ' }, ({ p, auth }) => {
    const omitZero = p.oneOf('omitZeroBalances', ['true', 'false'], new ApiError('INVALID_PARAMETER', "Invalid value for parameter 'omitZeroBalances'.")) === 'true';
    p.finish();
    const rec = ctx.engine.apiKey(auth.apiKey)!;
    const m = ctx.engine.markets[0]!.market;
    const balances = (ctx.engine.balances(auth.userId) ?? [])
      .filter((b) => !omitZero || b.freeUnits + b.lockedUnits > 0)
      .map((b) => ({ asset: b.asset, free: units(b.freeUnits), locked: units(b.lockedUnits) }));
    const rate = (ppm: number): string => units(ppm * 100);
    return {
      makerCommission: m.makerFeePpm / 100, takerCommission: m.takerFeePpm / 100, buyerCommission: 0, sellerCommission: 0,
      commissionRates: { maker: rate(m.makerFeePpm), taker: rate(m.takerFeePpm), buyer: units(0), seller: units(0) },
      canTrade: rec.permissions.includes('TRADE'), canWithdraw: false, canDeposit: false, brokered: false,
      requireSelfTradePrevention: false, preventSor: false, updateTime: ctx.history.accountUpdateTime(auth.userId),
      accountType: 'SPOT', balances, permissions: ['SPOT'], uid: auth.userId,
    };
  });
}
