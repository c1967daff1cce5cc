import pino from 'pino';
import { ConfigError, loadConfig } from './config.ts';
import { startServer } from './server.ts';

/** `npm start`: the whole exchange in one process (see apps/server/README.md). */
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
  const logger = pino({ level: config.logLevel });
  const server = await startServer(config, logger);
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining commands and taking a final snapshot');
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
