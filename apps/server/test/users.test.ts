import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { devAccount, expectError, signed, testExchange, type TestExchange } from './harness.ts';

let t: TestExchange;
beforeEach(async () => { t = await testExchange(); });
afterEach(async () => { await t.close(); });

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers });

describe('users, sessions and API keys', () => {
  it('registers, logs in, creates, lists, uses and revokes API keys; secrets are stored encrypted', async () => {
    const reg = await post('/api/v1/users', { username: 'alice', password: 'correct horse' });
    expect(reg.statusCode).toBe(200);
    const { userId, token } = reg.json();
    expect(reg.headers['set-cookie']).toMatch(/^mbx_session=mbx1\..*HttpOnly; SameSite=Strict/);
    expect(t.exchange.engine.accounts.get(userId)!.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expectError(await post('/api/v1/users', { username: 'alice', password: 'another one' }), 400, -4002, 'Username is already taken.');
    expectError(await post('/api/v1/users', { username: 'bob', password: 'short' }), 400, -1130);
    expectError(await post('/api/v1/users', { username: 'b b', password: 'long enough' }), 400, -1130);
    expectError(await post('/api/v1/users', { password: 'long enough' }), 400, -1102);

    expectError(await post('/api/v1/sessions', { username: 'alice', password: 'wrong horse' }), 401, -1002, 'Invalid username or password.');
    expectError(await post('/api/v1/sessions', { username: 'nobody', password: 'wrong horse' }), 401, -1002, 'Invalid username or password.');
    const login = (await post('/api/v1/sessions', { username: 'alice', password: 'correct horse' })).json();
    expect(login.userId).toBe(userId);

    const auth = { authorization: `Bearer ${token}` };
    expect((await t.app.inject({ url: '/api/v1/me', headers: auth })).json()).toMatchObject({ userId, username: 'alice' });
    expect((await t.app.inject({ url: '/api/v1/me', headers: { cookie: `mbx_session=${login.token}` } })).json().userId).toBe(userId);
    expectError(await t.app.inject({ url: '/api/v1/me' }), 401, -1002);
    expectError(await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token.slice(0, -2)}xx` } }), 401, -1002);

    const key = (await post('/api/v1/apiKeys', { label: 'bot', permissions: ['READ'] }, auth)).json();
    expect(key.apiKey).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(key.secretKey).toMatch(/^[A-Za-z0-9]{64}$/);
    const stored = t.exchange.engine.apiKey(key.apiKey)!;
    expect(stored.secretEnc).toMatch(/^v1\./);
    expect(stored.secretEnc).not.toContain(key.secretKey);
    expect((await t.app.inject({ url: '/api/v1/apiKeys', headers: auth })).json()).toEqual([{ apiKey: key.apiKey, label: 'bot', permissions: ['READ'] }]);
    expect((await signed(t, { userId, ...key }, { method: 'GET', url: '/api/v3/account' })).statusCode).toBe(200);
    expectError(await post('/api/v1/apiKeys', { permissions: ['ADMIN'] }, auth), 400, -1130);

    // Another user cannot revoke it.
    const other = (await post('/api/v1/users', { username: 'mallory', password: 'long enough' })).json();
    expectError(await t.app.inject({ method: 'DELETE', url: `/api/v1/apiKeys/${key.apiKey}`, headers: { authorization: `Bearer ${other.token}` } }), 400, -4004);
    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/v1/apiKeys/${key.apiKey}`, headers: auth });
    expect(revoked.json()).toEqual({ apiKey: key.apiKey, revoked: true });
    expectError(await signed(t, { userId, ...key }, { method: 'GET', url: '/api/v3/account' }), 401, -2015);
    expect((await t.app.inject({ url: '/api/v1/apiKeys', headers: auth })).json()).toEqual([]);
  });

  it('dev faucet creates funded accounts and deposits more', async () => {
    const a = await devAccount(t.app, { USDT: '100000', BTC: '10' });
    expect(a).toMatchObject({ userId: expect.any(Number), apiKey: expect.any(String), secretKey: expect.any(String) });
    const bal = (await signed(t, a, { method: 'GET', url: '/api/v3/account', params: { omitZeroBalances: 'true' } })).json().balances;
    expect(bal).toEqual([{ asset: 'BTC', free: '10.00000000', locked: '0.00000000' }, { asset: 'USDT', free: '100000.00000000', locked: '0.00000000' }]);
    const more = (await post('/api/v1/dev/deposit', { userId: a.userId, deposits: { ETH: '2.5' } })).json();
    expect(more.balances).toContainEqual({ asset: 'ETH', free: '2.50000000', locked: '0.00000000' });
    expect((await post('/api/v1/dev/deposit', { userId: a.userId, asset: 'SOL', amount: '1' })).statusCode).toBe(200);
    expectError(await post('/api/v1/dev/deposit', { userId: 9999, deposits: { ETH: '1' } }), 400, -4001, 'Unknown user.');
    expectError(await post('/api/v1/dev/deposit', { userId: a.userId, deposits: { DOGE: '1' } }), 400, -4005);
    expectError(await post('/api/v1/dev/deposit', { userId: a.userId, deposits: { ETH: '-1' } }), 400, -4006);
    expectError(await post('/api/v1/dev/deposit', { userId: a.userId, deposits: { ETH: 1 } }), 400, -4006, 'Amount of ETH must be a decimal string, e.g. "100000" or "0.5".');
    expectError(await post('/api/v1/dev/accounts', { deposits: { ETH: '1e9' } }), 400, -4006);
  });

  it('has no faucet when it is off', async () => {
    const prod = await testExchange({ devFaucet: false });
    try {
      expectError(await prod.app.inject({ method: 'POST', url: '/api/v1/dev/accounts', payload: {} }), 404, -1099);
    } finally {
      await prod.close();
    }
  });

  it('serves health and Prometheus metrics with latency histograms', async () => {
    await t.app.inject({ url: '/api/v3/ping' });
    expect((await t.app.inject({ url: '/health' })).json()).toMatchObject({ status: 'ok', ok: true });
    const m = await t.app.inject({ url: '/metrics' });
    expect(m.body).toMatch(/matchbox_http_request_duration_seconds_bucket\{.*route="\/api\/v3\/ping"/);
    expect(m.body).toMatch(/matchbox_log_seq\{kind="durable"\}/);
  });
});

describe('Exchange.onEvents', () => {
  it('delivers every durable command’s events in seq order', async () => {
    const seen: number[] = [];
    const off = t.exchange.onEvents((seq) => seen.push(seq));
    await devAccount(t.app, { USDT: '10', BTC: '1' });
    off();
    expect(seen.length).toBe(4);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(seen[seen.length - 1]).toBe(t.exchange.health().lastSeq);
  });
});
