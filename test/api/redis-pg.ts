import { Sandbox } from '../support/sandbox.ts';
import { startExchange, type RunningExchange } from './embedded-server.ts';

export { PG_URL, REDIS_URL } from '../support/sandbox.ts';

/** The exchange on Redis + PostgreSQL with a random key prefix and a fresh schema, both removed on close. */
export async function startOnRedisPg(): Promise<RunningExchange> {
  const sandbox = new Sandbox('api');
  await sandbox.create();
  const server = await startExchange({ storage: sandbox.storage });
  return {
    ...server,
    close: async () => {
      await server.close();
      await sandbox.drop();
    },
  };
}
