import { describe, expect, test } from 'vitest';
import { Sim, U, ofType, rejected } from './harness.ts';

describe('users, keys and funds', () => {
  test('users get increasing ids; names are unique and validated', () => {
    const sim = new Sim();
    expect(sim.user('alice')).toBe(1);
    expect(sim.user('bob')).toBe(2);
    expect(rejected(sim.apply({ t: 'createUser', username: 'alice', passwordHash: 'h' }))).toBe('USERNAME_TAKEN');
    expect(rejected(sim.apply({ t: 'createUser', username: 'has space', passwordHash: 'h' }))).toBe('INVALID_PARAMETER');
    expect(rejected(sim.apply({ t: 'createUser', username: '', passwordHash: 'h' }))).toBe('INVALID_PARAMETER');
    expect(rejected(sim.apply({ t: 'createUser', username: 'x', passwordHash: 'h'.repeat(300) }))).toBe('INVALID_PARAMETER');
  });

  test('deposit and withdraw move free funds with balance events', () => {
    const sim = new Sim();
    const a = sim.user('alice');
    const dep = sim.apply({ t: 'deposit', userId: a, asset: 'USDT', amountUnits: 500 * U });
    expect(ofType(dep, 'balance')).toEqual([{ type: 'balance', userId: a, asset: 'USDT', freeUnits: 500 * U, lockedUnits: 0, deltaFreeUnits: 500 * U, deltaLockedUnits: 0, cause: 'deposit' }]);
    sim.apply({ t: 'withdraw', userId: a, asset: 'USDT', amountUnits: 200 * U });
    expect(sim.balance(a, 'USDT')).toEqual({ free: 300 * U, locked: 0 });
  });

  test.each([
    [{ t: 'deposit', userId: 99, asset: 'USDT', amountUnits: 1 }, 'UNKNOWN_USER'],
    [{ t: 'deposit', userId: 1, asset: 'DOGE', amountUnits: 1 }, 'UNKNOWN_ASSET'],
    [{ t: 'deposit', userId: 1, asset: 'USDT', amountUnits: 0 }, 'INVALID_AMOUNT'],
    [{ t: 'deposit', userId: 1, asset: 'USDT', amountUnits: -5 }, 'INVALID_AMOUNT'],
    [{ t: 'deposit', userId: 1, asset: 'USDT', amountUnits: 1.5 }, 'INVALID_AMOUNT'],
    [{ t: 'deposit', userId: 1, asset: 'USDT', amountUnits: 2 ** 53 }, 'INVALID_AMOUNT'],
    [{ t: 'deposit', userId: 1, asset: 'USDT', amountUnits: Number.MAX_SAFE_INTEGER }, 'BALANCE_OVERFLOW'],
    [{ t: 'withdraw', userId: 99, asset: 'USDT', amountUnits: 1 }, 'UNKNOWN_USER'],
    [{ t: 'withdraw', userId: 1, asset: 'DOGE', amountUnits: 1 }, 'UNKNOWN_ASSET'],
    [{ t: 'withdraw', userId: 1, asset: 'USDT', amountUnits: 0 }, 'INVALID_AMOUNT'],
    [{ t: 'withdraw', userId: 1, asset: 'USDT', amountUnits: 101 * U }, 'INSUFFICIENT_BALANCE'],
  ] as const)('%j → %s', (cmd, error) => {
    const sim = new Sim();
    sim.user('alice', { USDT: 100 * U });
    expect(rejected(sim.apply(cmd))).toBe(error);
    expect(sim.balance(1, 'USDT')).toEqual({ free: 100 * U, locked: 0 });
  });

  test('locked funds cannot be withdrawn', () => {
    const sim = new Sim();
    const a = sim.user('alice', { USDT: 100 * U });
    sim.place({ userId: a, priceTicks: 10_000, qtyLots: 60_000 }); // 60 USDT locked
    expect(rejected(sim.apply({ t: 'withdraw', userId: a, asset: 'USDT', amountUnits: 50 * U }))).toBe('INSUFFICIENT_BALANCE');
    expect(rejected(sim.apply({ t: 'withdraw', userId: a, asset: 'USDT', amountUnits: 40 * U }))).toBeUndefined();
  });

  test('API keys: create, list, revoke; duplicates, bad input, other users and the per-user limit are rejected', () => {
    const sim = new Sim();
    const a = sim.user('alice');
    const b = sim.user('bob');
    const key = (n: number): string => `K${String(n).padStart(20, '0')}`;
    const create = (userId: number, apiKey: string, extra: object = {}) =>
      sim.apply({ t: 'createApiKey', userId, apiKey, secretEnc: 'enc', permissions: ['TRADE', 'READ', 'READ'], label: 'bot', ...extra });
    expect(ofType(create(a, key(1)), 'apiKeyCreated')[0]).toMatchObject({ userId: a, permissions: ['READ', 'TRADE'] });
    expect(sim.engine.apiKey(key(1))).toMatchObject({ userId: a, secretEnc: 'enc' });
    expect(rejected(create(b, key(1)))).toBe('DUPLICATE_API_KEY');
    expect(rejected(create(99, key(2)))).toBe('UNKNOWN_USER');
    expect(rejected(create(a, 'short'))).toBe('INVALID_PARAMETER');
    expect(rejected(create(a, key(3), { permissions: ['WITHDRAW'] }))).toBe('INVALID_PARAMETER');
    expect(rejected(create(a, key(3), { secretEnc: '' }))).toBe('INVALID_PARAMETER');
    expect(rejected(sim.apply({ t: 'revokeApiKey', userId: b, apiKey: key(1) }))).toBe('UNKNOWN_API_KEY');
    expect(ofType(sim.apply({ t: 'revokeApiKey', userId: a, apiKey: key(1) }), 'apiKeyRevoked')).toHaveLength(1);
    expect(sim.engine.apiKey(key(1))).toBeUndefined();
    expect(rejected(sim.apply({ t: 'revokeApiKey', userId: a, apiKey: key(1) }))).toBe('UNKNOWN_API_KEY');
    for (let i = 10; i < 30; i++) expect(rejected(create(a, key(i)))).toBeUndefined();
    expect(rejected(create(a, key(30)))).toBe('TOO_MANY_API_KEYS');
  });
});
