import pino from 'pino';
import { CommanderError } from 'commander';
import { defaultStateFile, parseConfig } from './config.ts';
import { MarketMaker } from './market-maker.ts';

/** `npm run market-maker -- --url http://127.0.0.1:8080`: runs until SIGINT/SIGTERM, then cancels its quotes. */
async function main(): Promise<void> {
  let config;
  try {
    // Standalone, the bot keeps its accounts in data/market-maker-<host>_<port>.json unless told otherwise.
    config = parseConfig(process.argv.slice(2), process.env, { defaultStateFile });
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    console.error((err as Error).message);
    process.exit(2);
  }
  const log = pino({ level: config.logLevel });
  const mm = await MarketMaker.create(config, log);
  mm.start();
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: canceling quotes');
    await mm.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error('market maker failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
