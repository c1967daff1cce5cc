import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** A TCP port that was free a moment ago (good enough for a private test server). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A private redis-server with the production durability settings, in a temp dir on a free port. */
export class PrivateRedis {
  private proc: ChildProcess | null = null;
  private exited = true;

  constructor(readonly port: number, readonly dir: string) {}

  async start(): Promise<void> {
    this.proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes',
      '--appendfsync', 'always', '--save', '', '--protected-mode', 'no', '--loglevel', 'warning'], { stdio: 'ignore' });
    this.exited = false;
    this.proc.on('exit', () => { this.exited = true; });
    const probe = new Redis({ port: this.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => { /* expected while the server is still starting */ });
    const start = Date.now();
    for (;;) {
      try {
        await probe.connect();
        // Loading the AOF answers LOADING errors until done; PING succeeds only once it is ready.
        await probe.ping();
        break;
      } catch {
        probe.disconnect();
        if (Date.now() - start > 20_000 || this.exited) throw new Error(`redis-server on port ${this.port} did not start`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    probe.disconnect();
  }

  /** SIGKILL (crash) or SIGTERM (clean stop) of exactly this server, by pid; waits for exit. */
  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.proc || this.exited) return;
    process.kill(this.proc.pid!, signal);
    const start = Date.now();
    while (!this.exited) {
      if (Date.now() - start > 20_000) throw new Error(`redis-server pid ${this.proc.pid} did not exit`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

