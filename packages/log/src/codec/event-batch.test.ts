import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '@matchbox/domain';
import { matchboxEngineCodec } from '../sequencer/engine-binding.ts';
import { Workload } from '../testing/workload.ts';
import { EVENT_FIELDS, decodeEventBatch, encodeEventBatch } from './event-batch.ts';

/** Every kind of event the engine emits: a random workload plus keys revoked and a rejection. */
function realEvents(): EngineEvent[][] {
  const engine = matchboxEngineCodec().create();
  const w = new Workload({ seed: 11, users: 8 });
  const out: EngineEvent[][] = [];
  let seq = 0;
  for (const c of [...w.setup(), ...w.take(3000)]) out.push(engine.apply(c, ++seq, 1_764_000_000_000 + seq));
  const apiKey = 'k'.repeat(64);
  out.push(engine.apply({ t: 'createApiKey', userId: 1, apiKey, secretEnc: 'sealed', permissions: ['READ', 'TRADE'], label: 'bot "one"' }, ++seq, 1_764_000_100_000));
  out.push(engine.apply({ t: 'revokeApiKey', userId: 1, apiKey }, ++seq, 1_764_000_100_000));
  out.push(engine.apply({ t: 'withdraw', userId: 1, asset: 'BTC', amountUnits: 2 ** 52 }, ++seq, 1_764_000_100_001));
  return out;
}

describe('event batch codec', () => {
  const events = realEvents();

  it('round-trips every event type exactly, and every field of every event has a place in its row', () => {
    const types = new Set(events.flat().map((e) => e.type));
    expect([...types].sort()).toEqual(Object.keys(EVENT_FIELDS).sort());
    for (const e of events.flat()) {
      const fields = EVENT_FIELDS[e.type] as readonly string[];
      expect(Object.keys(e).filter((k) => k !== 'type').sort(), e.type).toEqual([...fields].sort());
    }
    const batch = { tsMs: 1_764_000_000_123, events };
    expect(decodeEventBatch(encodeEventBatch(batch))).toEqual(batch);
  });

  it('still reads the first format (events as objects), and is much smaller than it', () => {
    const legacy = Buffer.from(JSON.stringify({ tsMs: 5, events }), 'utf8');
    expect(decodeEventBatch(legacy)).toEqual({ tsMs: 5, events });
    expect(encodeEventBatch({ tsMs: 5, events }).length).toBeLessThan(legacy.length * 0.6);
  });

  it('refuses a newer format and a row that does not match its type', () => {
    expect(() => decodeEventBatch(Buffer.from('{"tsMs":1,"v":3,"events":[]}'))).toThrow(/format 3/);
    expect(() => decodeEventBatch(Buffer.from('{"tsMs":1,"v":2,"events":[[["trade",1,2]]]}'))).toThrow(/trade/);
    expect(() => decodeEventBatch(Buffer.from('{"tsMs":1,"v":2,"events":[[["nope"]]]}'))).toThrow(/nope/);
  });
});
