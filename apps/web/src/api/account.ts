/// <reference lib="dom" />
/**
 * Web accounts: register / log in / log out with a session, API key management and the dev
 * faucet. Every route lives in ROUTES so aligning with the gateway is a one-line change.
 * The session (cookie, or a bearer token when the server returns one) is only used here; trading
 * calls are signed with an API key the UI creates for itself at login.
 */
import { request } from './http.ts';
import type { Credentials } from './types.ts';

export const ROUTES = {
  register: '/api/v1/users',
  login: '/api/v1/sessions',
  logout: '/api/v1/sessions',
  me: '/api/v1/me',
  keys: '/api/v1/apiKeys',
  key: (apiKey: string) => `/api/v1/apiKeys/${encodeURIComponent(apiKey)}`,
  faucetAccount: '/api/v1/dev/accounts',
  faucetDeposit: '/api/v1/dev/deposit',
};

export type Permission = 'READ' | 'TRADE';

export interface ApiKeyInfo {
  apiKey: string;
  label?: string;
  permissions: string[];
  createdAt?: number;
}

export interface CreatedKey extends ApiKeyInfo {
  secretKey: string;
}

export interface SessionUser {
  userId: number | undefined;
  username?: string;
}

const FUNDS: Record<string, string> = { USDT: '100000', BTC: '10', ETH: '100', SOL: '1000' };

/** Test deposits for every asset the exchange lists (unknown assets would be rejected). */
export function testFunds(assets: readonly string[]): Record<string, string> {
  return Object.fromEntries(assets.map((a) => [a, FUNDS[a] ?? '1000']));
}

let token: string | undefined;

function json(body: unknown): { body: string; headers: Record<string, string> } {
  return { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...auth() } };
}

function auth(): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export function setSessionToken(t: string | undefined): void {
  token = t;
}

interface LoginAnswer {
  userId: number;
  username: string;
  token?: string;
  expiresAt?: number;
}

export const accounts = {
  /** Creates the user and starts a session (the server answers like a login). */
  async register(username: string, password: string): Promise<{ user: SessionUser; token: string | undefined }> {
    const r = await request<LoginAnswer>('POST', ROUTES.register, json({ username, password }));
    token = r.token;
    return { user: { userId: r.userId, username: r.username }, token };
  },
  async login(username: string, password: string): Promise<{ user: SessionUser; token: string | undefined }> {
    const r = await request<LoginAnswer>('POST', ROUTES.login, json({ username, password }));
    token = r.token;
    return { user: { userId: r.userId, username: r.username }, token };
  },
  async logout(): Promise<void> {
    await request<unknown>('DELETE', ROUTES.logout, { headers: auth() });
    token = undefined;
  },
  listKeys: () => request<ApiKeyInfo[]>('GET', ROUTES.keys, { headers: auth() }),
  createKey: (label: string, permissions: Permission[]) => request<CreatedKey>('POST', ROUTES.keys, json({ label, permissions })),
  revokeKey: (apiKey: string) => request<unknown>('DELETE', ROUTES.key(apiKey), { headers: auth() }),
  /** A brand-new funded user (dev faucet; embedded mode only). */
  faucetAccount: (deposits: Record<string, string>) =>
    request<{ userId: number; username: string } & Credentials>('POST', ROUTES.faucetAccount, json({ deposits })),
  /** Adds test funds to a user (dev faucet). */
  faucetDeposit: (userId: number, deposits: Record<string, string>) => request<unknown>('POST', ROUTES.faucetDeposit, json({ userId, deposits })),
};
