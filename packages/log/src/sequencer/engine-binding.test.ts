import { describe, expect, it } from 'vitest';
import { Workload } from '../testing/workload.ts';
import { matchboxEngineCodec } from './engine-binding.ts';

describe('engine binding', () => {
  it('hashes a snapshot exactly as the engine hashes its state, at many points of a run', () => {
    const codec = matchboxEngineCodec();
    const engine = codec.create();
    const w = new Workload({ seed: 5, users: 6 });
    let seq = 0;
    expect(codec.hashSnapshot!(codec.encode(engine))).toBe(engine.stateHash());
    for (const c of w.setup()) engine.apply(c, ++seq, 1000 + seq);
    for (let round = 0; round < 10; round++) {
      for (const c of w.take(150)) engine.apply(c, ++seq, 1000 + seq);
      const bytes = codec.encode(engine);
      expect(codec.hashSnapshot!(bytes)).toBe(engine.stateHash());
      expect(codec.decode(bytes).stateHash()).toBe(engine.stateHash());
    }
  });
});
