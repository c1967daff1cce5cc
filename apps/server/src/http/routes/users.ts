import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ASSET_SCALE, LIMITS, parseUnits, type Permission } from '@matchbox/domain';
import { DISABLED_PASSWORD, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, hashPassword, verifyPassword } from '../../security/passwords.ts';
import { SESSION_COOKIE, SESSION_TTL_MS } from '../../security/sessions.ts';
import { ApiError } from '../api-error.ts';
import type { GatewayContext } from '../context.ts';
import { units } from '../format.ts';

const USERNAME_RE = /^[A-Za-z0-9_.@-]{1,64}$/;
const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const MAX_DEPOSIT_ASSETS = 32;

/** A random string over [A-Za-z0-9] (rejection sampling: no modulo bias). */
export function randomToken(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < 248 && out.length < length) out += ALPHANUM[b % 62];
    }
  }
  return out;
}

type Json = Record<string, unknown>;

function jsonBody(req: FastifyRequest): Json {
  const b = req.body;
  if (b === null || typeof b !== 'object' || Array.isArray(b)) throw new ApiError('MANDATORY_PARAM_EMPTY_OR_MALFORMED', 'The request body must be a JSON object.');
  return b as Json;
}

function str(body: Json, name: string, re?: RegExp, optional = false): string | undefined {
  const v = body[name];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string' || v === '') throw new ApiError('MANDATORY_PARAM_EMPTY_OR_MALFORMED', `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);
  if (re !== undefined && !re.test(v)) throw new ApiError('INVALID_PARAMETER', `Invalid value for parameter '${name}'.`);
  return v;
}

function checkedPassword(body: Json): string {
  const password = str(body, 'password')!;
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new ApiError('INVALID_PARAMETER', `Password must be ${MIN_PASSWORD_LENGTH}–${MAX_PASSWORD_LENGTH} characters.`);
  }
  return password;
}

/** `{"USDT":"1000","BTC":"1.5"}` → [asset, units] pairs through the decimal codec. */
function deposits(ctx: GatewayContext, v: unknown): [string, number][] {
  if (v === undefined) return [];
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ApiError('INVALID_PARAMETER', "Parameter 'deposits' must be an object of asset → amount.");
  const entries = Object.entries(v as Json);
  if (entries.length > MAX_DEPOSIT_ASSETS) throw new ApiError('TOO_MANY_PARAMETERS', 'Too many parameters.');
  return entries.map(([asset, amount]) => {
    if (!ctx.engine.assetIndex.has(asset)) throw new ApiError('UNKNOWN_ASSET');
    // Money is exact: a JSON number (binary floating point) is refused, with the form that works.
    if (typeof amount !== 'string') throw new ApiError('INVALID_AMOUNT', `Amount of ${asset} must be a decimal string, e.g. "100000" or "0.5".`);
    const r = parseUnits(amount, ASSET_SCALE);
    if (!r.ok) throw new ApiError('INVALID_AMOUNT');
    return [asset, r.units];
  });
}

function permissionsOf(v: unknown): Permission[] {
  if (v === undefined) return ['READ', 'TRADE'];
  if (!Array.isArray(v) || v.length === 0 || v.length > 2 || !v.every((x) => x === 'READ' || x === 'TRADE')) {
    throw new ApiError('INVALID_PARAMETER', "Parameter 'permissions' must be a non-empty array of READ and TRADE.");
  }
  return [...new Set(v as Permission[])];
}

/** Users, sessions and API keys (JSON under /api/v1), plus the dev faucet when enabled. */
export function userRoutes(app: FastifyInstance, ctx: GatewayContext, opts: { devFaucet: boolean; secureCookies: boolean }): void {
  const rejectIfAny = (events: readonly { type: string; error?: unknown }[]): void => {
    const r = events.find((e) => e.type === 'rejected') as { error: import('@matchbox/domain').ErrorName } | undefined;
    if (r !== undefined) throw new ApiError(r.error);
  };

  const createUser = async (username: string, passwordHash: string): Promise<number> => {
    const acc = await ctx.submit({ t: 'createUser', username, passwordHash });
    rejectIfAny(acc.events);
    const created = acc.events.find((e) => e.type === 'userCreated');
    if (created?.type !== 'userCreated') throw new Error('createUser produced no userCreated event');
    return created.userId;
  };

  const createKey = async (userId: number, permissions: Permission[], label: string): Promise<{ apiKey: string; secretKey: string }> => {
    const apiKey = randomToken(64);
    const secretKey = randomToken(64);
    const acc = await ctx.submit({ t: 'createApiKey', userId, apiKey, secretEnc: ctx.box.seal(apiKey, secretKey), permissions, label });
    rejectIfAny(acc.events);
    return { apiKey, secretKey };
  };

  const deposit = async (userId: number, list: [string, number][]): Promise<void> => {
    const results = await Promise.all(list.map(([asset, amountUnits]) => ctx.submit({ t: 'deposit', userId, asset, amountUnits })));
    for (const r of results) rejectIfAny(r.events);
  };

  const session = (reply: FastifyReply, userId: number, username: string): Json => {
    const { token, expiresAt } = ctx.sessions.issue(userId);
    void reply.header('Set-Cookie', `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_TTL_MS / 1000}${opts.secureCookies ? '; Secure' : ''}`);
    return { userId, username, token, expiresAt };
  };

  const balances = (userId: number): Json[] => (ctx.engine.balances(userId) ?? [])
    .map((b) => ({ asset: b.asset, free: units(b.freeUnits), locked: units(b.lockedUnits) }));

  app.post('/api/v1/users', { config: { weight: 10 } }, async (req, reply) => {
    const body = jsonBody(req);
    const username = str(body, 'username', USERNAME_RE)!;
    const password = checkedPassword(body);
    if (ctx.engine.userIdByName.has(username)) throw new ApiError('USERNAME_TAKEN');
    const userId = await createUser(username, await hashPassword(password));
    return session(reply, userId, username);
  });

  app.post('/api/v1/sessions', { config: { weight: 10 } }, async (req, reply) => {
    const body = jsonBody(req);
    const username = str(body, 'username')!;
    const password = str(body, 'password')!;
    const userId = ctx.engine.userIdByName.get(username);
    const account = userId === undefined ? undefined : ctx.engine.accounts.get(userId);
    // Always run the hash, so timing does not tell whether the user exists.
    const ok = await verifyPassword(password.slice(0, MAX_PASSWORD_LENGTH), account?.passwordHash ?? DISABLED_PASSWORD);
    if (!ok || account === undefined) throw new ApiError('UNAUTHORIZED', 'Invalid username or password.');
    return session(reply, account.userId, account.username);
  });

  app.delete('/api/v1/sessions', { config: { weight: 1 } }, async (_req, reply) => {
    void reply.header('Set-Cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
    return {};
  });

  app.get('/api/v1/me', { config: { weight: 5 } }, async (req) => {
    const userId = ctx.sessionUser(req);
    const acct = ctx.engine.accounts.get(userId)!;
    return { userId, username: acct.username, balances: balances(userId) };
  });

  app.get('/api/v1/apiKeys', { config: { weight: 5 } }, async (req) => {
    const userId = ctx.sessionUser(req);
    return ctx.engine.accounts.get(userId)!.apiKeys.map((k) => {
      const rec = ctx.engine.apiKey(k)!;
      return { apiKey: k, label: rec.label, permissions: rec.permissions };
    });
  });

  app.post('/api/v1/apiKeys', { config: { weight: 10 } }, async (req) => {
    const userId = ctx.sessionUser(req);
    const body = jsonBody(req);
    const label = body.label === undefined ? '' : str(body, 'label')!;
    if (label.length > LIMITS.labelMaxLength) throw new ApiError('INVALID_PARAMETER', "Invalid value for parameter 'label'.");
    const permissions = permissionsOf(body.permissions);
    const { apiKey, secretKey } = await createKey(userId, permissions, label);
    // The secret is shown here once; only its AES-GCM box is stored.
    return { apiKey, secretKey, label, permissions };
  });

  app.delete<{ Params: { apiKey: string } }>('/api/v1/apiKeys/:apiKey', { config: { weight: 5 } }, async (req) => {
    const userId = ctx.sessionUser(req);
    const apiKey = req.params.apiKey;
    if (!/^[A-Za-z0-9]{16,128}$/.test(apiKey)) throw new ApiError('BAD_API_KEY_FMT');
    const acc = await ctx.submit({ t: 'revokeApiKey', userId, apiKey });
    rejectIfAny(acc.events);
    ctx.forgetSecret(apiKey);
    return { apiKey, revoked: true };
  });

  if (!opts.devFaucet) return;

  app.post('/api/v1/dev/accounts', { config: { weight: 10 } }, async (req) => {
    const body = req.body === undefined || req.body === null ? {} : jsonBody(req);
    const funds = deposits(ctx, body.deposits);
    const username = str(body, 'username', USERNAME_RE, true) ?? `dev-${randomToken(12)}`;
    const permissions = permissionsOf(body.permissions);
    if (ctx.engine.userIdByName.has(username)) throw new ApiError('USERNAME_TAKEN');
    const userId = await createUser(username, DISABLED_PASSWORD);
    const [{ apiKey, secretKey }] = await Promise.all([createKey(userId, permissions, 'dev faucet'), deposit(userId, funds)]);
    return { userId, username, apiKey, secretKey };
  });

  app.post('/api/v1/dev/deposit', { config: { weight: 5 } }, async (req) => {
    const body = jsonBody(req);
    const userId = body.userId;
    if (typeof userId !== 'number' || !Number.isSafeInteger(userId) || !ctx.engine.accounts.has(userId)) throw new ApiError('UNKNOWN_USER');
    const funds = body.deposits !== undefined ? deposits(ctx, body.deposits)
      : deposits(ctx, { [String(str(body, 'asset'))]: body.amount });
    if (funds.length === 0) throw new ApiError('MANDATORY_PARAM_EMPTY_OR_MALFORMED', "Mandatory parameter 'deposits' was not sent, was empty/null, or malformed.");
    await deposit(userId, funds);
    return { userId, balances: balances(userId) };
  });
}
