import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';

const prod = { REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://postgres@127.0.0.1/test', SERVER_KEY: 'a'.repeat(64) };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('ROLE configuration', () => {
  it('runs gateway and sequencer on Redis + PostgreSQL, with their settings', () => {
    const c = loadConfig({ ...prod, ROLE: 'gateway', GATEWAY_TIMEOUT_MS: '2500', INTAKE_MAXLEN: '50000' });
    expect(c.role).toBe('gateway');
    expect(c.gatewayTimeoutMs).toBe(2500);
    expect(c.intakeMaxLen).toBe(50_000);
    expect(loadConfig({ ...prod, ROLE: 'sequencer' }).role).toBe('sequencer');
    expect(loadConfig({}).role).toBe('all');
  });

  it('refuses split roles on embedded storage, roles not wired here, and unknown roles', () => {
    expect(problems({ ROLE: 'gateway' }).join()).toMatch(/ROLE=gateway needs REDIS_URL and DATABASE_URL/);
    expect(loadConfig({ ...prod, ROLE: 'projector' }).historyStore).toEqual({ kind: 'pg', url: prod.DATABASE_URL });
    expect(problems({ ...prod, ROLE: 'projector', HISTORY_STORE: '0' }).join()).toMatch(/ROLE=projector writes the history store/);
    expect(loadConfig({ ...prod, ROLE: 'fanout' }).role).toBe('fanout');
    expect(problems({ ROLE: 'fanout' }).join()).toMatch(/ROLE=fanout needs REDIS_URL and DATABASE_URL/);
    expect(problems({ ROLE: 'matcher' }).join()).toMatch(/ROLE="matcher" must be one of all, gateway, sequencer, projector, fanout/);
  });
});
