/**
 * Starts what the browser tests drive: the REAL Matchbox server (apps/server, in-process, on a
 * free port, embedded storage in a temp dir) and the built web UI. The UI is taken from the
 * server's own `/` when it serves it; otherwise the build is served by `vite preview`, which
 * proxies /api and the WebSockets to the server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';

export const WEB_ROOT = resolve(import.meta.dirname, '../../apps/web');

interface RunningServer {
  url: string;
  close(): Promise<void>;
}

interface ServerModule {
  startServer(config: unknown, logger: unknown): Promise<RunningServer>;
  loadConfig(env: Record<string, string>): unknown;
}

/** The server package, or undefined while apps/server does not export startServer/loadConfig yet. */
export async function loadServerModule(): Promise<ServerModule | undefined> {
  const spec = '@matchbox/server'; // a variable: type-checks even before the package has sources
  try {
    const m = (await import(spec)) as Partial<ServerModule>;
    return typeof m.startServer === 'function' && typeof m.loadConfig === 'function' ? (m as ServerModule) : undefined;
  } catch {
    return undefined;
  }
}

export interface Stack {
  apiUrl: string;
  uiUrl: string;
  servedBy: 'server' | 'vite-preview';
  close(): Promise<void>;
}

export async function buildWeb(): Promise<void> {
  await build({ root: WEB_ROOT, configFile: join(WEB_ROOT, 'vite.config.ts'), logLevel: 'error' });
}

export async function startStack(mod: ServerModule): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'matchbox-browser-'));
  const { default: pino } = await import('pino');
  const config = mod.loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DEV_FAUCET: '1', LOG_LEVEL: 'silent' });
  const server = await mod.startServer(config, pino({ level: 'silent' }));
  const apiUrl = server.url.replace('localhost', '127.0.0.1');
  let uiUrl = `${apiUrl}/`;
  let servedBy: Stack['servedBy'] = 'server';
  let vite: PreviewServer | undefined;
  const home = await fetch(uiUrl).then((r) => r.text(), () => '');
  if (!home.includes('<div id="root">')) {
    const ws = apiUrl.replace(/^http/, 'ws');
    vite = await preview({
      // silent: the proxy would log every refused WebSocket upgrade while the server has no streams
      root: WEB_ROOT, configFile: join(WEB_ROOT, 'vite.config.ts'), logLevel: 'silent',
      preview: {
        host: '127.0.0.1', port: 0, strictPort: false,
        proxy: { '/api': apiUrl, '/ws-api': { target: ws, ws: true }, '/ws': { target: ws, ws: true }, '/stream': { target: ws, ws: true } },
      },
    });
    uiUrl = vite.resolvedUrls?.local[0] ?? '';
    servedBy = 'vite-preview';
  }
  return {
    apiUrl, uiUrl, servedBy,
    close: async () => {
      await vite?.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium; .ci/run installs it when missing. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless Chromium with a fresh profile, flags that keep it off the (closed) network, and the
 * first page. The caller removes `userDir` after closing the context.
 */
export async function launchChromium(): Promise<{ ctx: BrowserContext; page: Page; userDir: string }> {
  const userDir = mkdtempSync(join(tmpdir(), 'matchbox-chromium-'));
  const ctx = await chromium.launchPersistentContext(userDir, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1440, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return { ctx, page: ctx.pages()[0] ?? (await ctx.newPage()), userDir };
}
