import type { Command } from '@matchbox/domain';
import type { Engine } from '@matchbox/engine';
import { matchboxEngineCodec } from '../../packages/log/src/index.ts';

/**
 * An engine holding `orders` resting limit orders on BTCUSDT that never cross: bids below the
 * mid, asks above, spread over 2,000 price levels each. MAX_NUM_ORDERS is 200 per user and
 * symbol; 150 each leaves room for the load that runs over this book.
 */
export const PER_USER = 150;

export function restingBookEngine(orders: number): { engine: Engine; commands: number } {
  const engine = matchboxEngineCodec().create();
  const users = Math.ceil(orders / PER_USER);
  let seq = 0;
  const apply = (c: Command): void => { engine.apply(c, ++seq, 1_700_000_000_000); };
  for (let u = 1; u <= users; u++) {
    apply({ t: 'createUser', username: `r${u}`, passwordHash: 'x' });
    apply({ t: 'deposit', userId: u, asset: 'USDT', amountUnits: 1_000_000_000_000 });
    apply({ t: 'deposit', userId: u, asset: 'BTC', amountUnits: 10_000_000_000 });
  }
  for (let i = 0; i < orders; i++) {
    const userId = 1 + (i % users);
    const buy = i % 2 === 0;
    const level = 1 + ((i >> 1) % 2000);
    apply({
      t: 'place', userId, symbol: 'BTCUSDT', side: buy ? 'BUY' : 'SELL', type: 'LIMIT', timeInForce: 'GTC',
      priceTicks: buy ? 3_000_000 - level : 3_000_000 + level, qtyLots: 100 + (i % 100), clientOrderId: '',
    });
  }
  if (engine.openOrderCount() !== orders) throw new Error(`expected ${orders} resting orders, engine has ${engine.openOrderCount()}`);
  return { engine, commands: seq };
}
