import { ccxtSession } from './ccxt-session.ts';
import { startOnRedisPg } from './redis-pg.ts';

// Production storage: Redis streams (random key prefix) + PostgreSQL snapshots (fresh schema), cleaned up after.
ccxtSession('Redis + PostgreSQL', () => startOnRedisPg());
