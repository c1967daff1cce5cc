/**
 * The status page (#/status) in headless Chromium against the real server: it loads with the
 * history ring, and once orders flow the commands/s chart and figures become non-zero, order
 * latency and the page's own WebSocket client show up.
 * Screenshots at 1440×900 and 390×844 go to .tmp/screenshots/ (docs/screenshots/ with UPDATE_SCREENSHOTS=1).
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { ExchangeClient, type Creds } from './exchange-client.ts';
import { CHROMIUM, buildWeb, launchChromium, loadServerModule, startStack, type Stack } from './harness.ts';

const server = await loadServerModule();
const SHOTS = resolve(import.meta.dirname, '../..', process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : '.tmp/screenshots');
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 200 });

const skipReason = !server ? 'apps/server does not export startServer/loadConfig yet'
  : !existsSync(CHROMIUM) ? `${CHROMIUM} is missing (apt-get install chromium)` : undefined;
const title = skipReason ? `status page in Chromium — SKIPPED: ${skipReason}` : 'status page in Chromium against the real server';

/**
 * Resting limit orders far from any price from several accounts, each under the 100 orders per
 * 10 s limit (about 8/s each), until stopped. Returns how many were accepted and the errors.
 */
function orderFlow(api: ExchangeClient, accounts: readonly Creds[]): { stop(): Promise<{ placed: number; errors: string[] }> } {
  let stopped = false;
  let placed = 0;
  const errors: string[] = [];
  const runs = accounts.map(async (who, k) => {
    for (let i = 0; !stopped; i++) {
      try {
        await api.order(who, { symbol: 'BTCUSDT', side: 'BUY', price: (20_000 + k * 1000 + (i % 500)).toFixed(2), quantity: '0.001' });
        placed++;
      } catch (e) {
        errors.push((e as Error).message);
        return;
      }
      await new Promise((r) => setTimeout(r, 120));
    }
  });
  return { stop: async () => { stopped = true; await Promise.all(runs); return { placed, errors }; } };
}

describe.skipIf(skipReason !== undefined)(title, () => {
  let stack: Stack;
  let ctx: BrowserContext;
  let page: Page;
  let userDir: string;
  let api: ExchangeClient;
  const problems: string[] = [];

  beforeAll(async () => {
    await buildWeb();
    stack = await startStack(server!);
    api = new ExchangeClient(stack.apiUrl);
    ({ ctx, page, userDir } = await launchChromium());
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/^WebSocket connection to .* failed/.test(m.text())) problems.push(`console.error: ${m.text()}`);
    });
  });

  afterAll(async () => {
    await ctx?.close();
    await stack?.close();
    if (userDir) rmSync(userDir, { recursive: true, force: true });
  });

  const figure = async (id: string): Promise<number> => Number((await page.getByTestId(`value-${id}`).textContent())?.replace(/,/g, '').split(' ')[0]);

  it('opens from the header link and shows the live figures', async () => {
    await page.goto(stack.uiUrl);
    await page.getByTestId('nav-status').click();
    await poll(() => page.getByTestId('status-page').getAttribute('data-ready')).toBe('true');
    expect(await page.getByTestId('nav-status').getAttribute('aria-current')).toBe('page');
    expect(await figure('log-lag')).toBeGreaterThanOrEqual(0);
    expect(await page.getByTestId('value-snapshot').textContent()).toBeTruthy();
    // the page's own market-data socket counts when the server holds the WebSockets
    if (stack.servedBy === 'server') await poll(() => figure('clients')).toBeGreaterThanOrEqual(1);
    await poll(async () => Number(await page.getByTestId('chart-cps').getAttribute('data-points'))).toBeGreaterThan(0);
  });

  it('sees commands/s and order latency become non-zero while orders flow', async () => {
    const accounts = await Promise.all(Array.from({ length: 4 }, () => api.faucet({ USDT: '10000000' })));
    const flow = orderFlow(api, accounts);
    try {
      await poll(() => figure('cps')).toBeGreaterThan(0);
      await poll(async () => Number(await page.getByTestId('chart-cps').getAttribute('data-last'))).toBeGreaterThan(0);
      await poll(async () => (await page.getByTestId('value-latency').textContent()) ?? '').toMatch(/^\d+(\.\d+)? \/ \d+(\.\d+)? ms$/);
      // a few seconds of history so the charts have a shape
      await poll(async () => Number(await page.getByTestId('chart-cps').getAttribute('data-points'))).toBeGreaterThanOrEqual(8);
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, 'status-1440x900.png') });
      await page.setViewportSize({ width: 390, height: 844 });
      await poll(async () => (await page.getByTestId('chart-cps').boundingBox())?.width ?? 0).toBeLessThan(390);
      await page.screenshot({ path: join(SHOTS, 'status-390x844.png') });
      await page.setViewportSize({ width: 1440, height: 900 });
    } finally {
      const { placed, errors } = await flow.stop();
      expect(errors).toEqual([]);
      expect(placed).toBeGreaterThan(0);
    }
    expect(problems).toEqual([]);
  });
});
