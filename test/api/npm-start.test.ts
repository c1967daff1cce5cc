import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(path.join(tmpdir(), 'mbx-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts apps/server/src/main.ts as `npm start` does and resolves with its URL from the start-up line. */
function start(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: path.resolve(import.meta.dirname, '../..'), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /Matchbox is running at (http:\/\/[^\s"]+)/.exec(out);
      if (m) resolve({ child, url: m[1]!, output: () => out });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('npm start', () => {
  it('runs the exchange on DATA_DIR, prints its URL, shuts down cleanly and keeps its data', async () => {
    const env = { DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'info', MARKET_MAKER: '0' };
    let s = await start(env);
    expect(((await (await fetch(`${s.url}/health`)).json()) as { status: string }).status).toBe('ok');
    const r = await fetch(`${s.url}/api/v1/dev/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deposits: { USDT: '5' }, username: 'persisted' }) });
    expect(r.status).toBe(200);
    expect(await stop(s.child)).toBe(0);
    s = await start(env);
    try {
      const again = await fetch(`${s.url}/api/v1/dev/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'persisted' }) });
      expect(((await again.json()) as { code: number }).code).toBe(-4002);
      expect(await (await fetch(`${s.url}/metrics`)).text()).toMatch(/process_cpu_user_seconds_total/);
    } finally {
      expect(await stop(s.child)).toBe(0);
    }
  });

  it('runs the market maker in-process by default: the book gets quotes on both sides, and it stops cleanly', async () => {
    const mmDir = mkdtempSync(path.join(tmpdir(), 'mbx-start-mm-'));
    // The default is on; set explicitly here so that a MARKET_MAKER=0 in the test runner's environment does not skip it.
    const s = await start({ DATA_DIR: mmDir, PORT: '0', LOG_LEVEL: 'info', MARKET_MAKER: '1' });
    try {
      for (let i = 0; i < 600; i++) {
        const d = (await (await fetch(`${s.url}/api/v3/depth?symbol=BTCUSDT&limit=5`)).json()) as { bids: unknown[]; asks: unknown[] };
        if (d.bids.length > 0 && d.asks.length > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const d = (await (await fetch(`${s.url}/api/v3/depth?symbol=BTCUSDT&limit=5`)).json()) as { bids: unknown[]; asks: unknown[] };
      expect(d.bids.length).toBeGreaterThan(0);
      expect(d.asks.length).toBeGreaterThan(0);
      expect(s.output()).toMatch(/market maker running in-process/);
    } finally {
      expect(await stop(s.child)).toBe(0);
      rmSync(mmDir, { recursive: true, force: true });
    }
  });

  it('refuses an invalid configuration with a clear message', async () => {
    const err = await start({ DATA_DIR: dir, PORT: 'eighty', REDIS_URL: 'redis://127.0.0.1:6379' }).catch((e: Error) => e.message);
    expect(err).toMatch(/PORT="eighty" must be an integer/);
    expect(err).toMatch(/set both REDIS_URL and DATABASE_URL/);
  });
});
