import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testExchange } from './harness.ts';

describe('the web UI is served at /', () => {
  const root = mkdtempSync(join(tmpdir(), 'mbx-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(root, 'assets', 'app-1234.js'), 'console.log(1)');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('serves index.html at / (revalidated) and hashed assets as immutable, next to the API', async () => {
    const t = await testExchange({ webRoot: root });
    try {
      const page = await t.app.inject({ method: 'GET', url: '/' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('id="root"');
      expect(page.headers['cache-control']).toBe('no-cache');
      const asset = await t.app.inject({ method: 'GET', url: '/assets/app-1234.js' });
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['cache-control']).toContain('immutable');
      expect((await t.app.inject({ method: 'GET', url: '/api/v3/ping' })).json()).toEqual({});
      const missing = await t.app.inject({ method: 'GET', url: '/nope' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ code: -1099 });
    } finally {
      await t.close();
    }
  });

  it('without a built UI, / is a JSON 404 like any unknown route', async () => {
    const t = await testExchange();
    try {
      const r = await t.app.inject({ method: 'GET', url: '/' });
      expect(r.statusCode).toBe(404);
      expect(r.json()).toMatchObject({ code: -1099 });
    } finally {
      await t.close();
    }
  });
});
