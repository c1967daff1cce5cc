import path from 'node:path';
import pino from 'pino';
import { MarketMaker, parseConfig as parseMakerConfig } from '@matchbox/market-maker';
import { ConfigError, loadConfig } from './config.ts';
import { runRole } from './roles/index.ts';
import { startServer } from './server.ts';

/** `npm start`: the whole exchange in one process, or one role of it with ROLE (see apps/server/README.md). */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = pino({ level: config.logLevel, ...(config.role === 'all' ? {} : { base: { role: config.role, pid: process.pid } }) });
  const server = config.role === 'all' ? await startServer(config, logger) : await runRole(config, logger);
  // The market maker talks to the exchange only through its public API (signed REST + WS API), like any client.
  let maker: MarketMaker | null = null;
  if (config.marketMaker && config.role === 'all') {
    try {
      // Its accounts are kept in DATA_DIR, so that after a crash it cancels its old quotes instead of leaving them.
      const file = config.storage.kind === 'redis-pg' ? `market-maker-${config.storage.prefix}.json` : 'market-maker.json';
      const state = { MM_ORDER_ENTRY: 'ws', MM_STATE_FILE: path.join(config.dataDir, file) };
      maker = await MarketMaker.create(parseMakerConfig([], { ...state, ...process.env, MM_URL: server.url }), logger.child({ name: 'market-maker' }));
      maker.start();
      logger.info('market maker running in-process (MARKET_MAKER=0 turns it off)');
    } catch (err) {
      logger.error({ err: (err as Error).message }, 'market maker failed to start; the exchange runs without it');
    }
  }
  if ('failed' in server) {
    void server.failed.then((err) => {
      logger.fatal({ err: err.message }, `ROLE=${config.role} stopped; exiting so that it restarts and recovers from the log`);
      process.exit(1);
    });
  }
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const what = config.role === 'all' || config.role === 'sequencer' ? 'draining commands and taking a final snapshot'
      : config.role === 'projector' ? 'finishing the batch in hand' : 'closing connections';
    logger.info({ signal }, `shutting down: ${what}`);
    if (maker !== null) await maker.stop().catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'market maker stop failed'));
    await server.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error('matchbox failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
