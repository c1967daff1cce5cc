import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MARKETS } from '@matchbox/domain';
import { buildApp } from '../http/app.ts';
import { SecretBox } from '../security/secret-box.ts';
import { OutcomeUnknownError, ReplicaGateway } from './replica-gateway.ts';
import { SequencerRole } from './sequencer.ts';
import { Sandbox } from '../../../../test/support/sandbox.ts';

const sandbox = new Sandbox('gwrole');
const storage = sandbox.storage;

beforeAll(() => sandbox.create());
afterAll(() => sandbox.drop());

describe('ROLE=gateway core', () => {
  it('answers -1007 (status unknown) when no result arrives in time, and answers late-sequenced commands to nobody', async () => {
    const gw = await ReplicaGateway.open({ storage, markets: DEFAULT_MARKETS, resultTimeoutMs: 200 });
    const app = await buildApp({ exchange: gw, secrets: new SecretBox(randomBytes(32)), devFaucet: true });
    try {
      await expect(gw.submit({ t: 'createUser', username: 'late', passwordHash: 'x' })).rejects.toBeInstanceOf(OutcomeUnknownError);
      const r = await app.inject({ method: 'POST', url: '/api/v1/dev/accounts', payload: { username: 'late2' } });
      expect(r.statusCode).toBe(503);
      expect(r.json()).toEqual({ code: -1007, msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.' });
      expect(gw.pendingCount).toBe(0);

      // The sequencer comes up afterwards: the commands were sent, so they are applied, and the
      // replica (which nobody is waiting on any more) ends in the sequencer's exact state.
      const seq = await SequencerRole.open({ storage, markets: DEFAULT_MARKETS });
      const end = Date.now() + 20_000;
      while (gw.health().lastSeq < 2 && Date.now() < end) await new Promise((res) => setTimeout(res, 10));
      expect(gw.engine.userIdByName.has('late')).toBe(true);
      expect(gw.engine.userIdByName.has('late2')).toBe(true);

      const user = await app.inject({ method: 'POST', url: '/api/v1/dev/accounts', payload: { deposits: { USDT: '100' } } });
      expect(user.statusCode).toBe(200);
      const { userId } = user.json<{ userId: number }>();
      expect(gw.engine.balances(userId)?.length).toBeGreaterThan(0);
      expect(gw.engine.stateHash()).toBe(seq.stateHash());
      await seq.close();
    } finally {
      await app.close();
      await gw.close();
    }
  });
});
