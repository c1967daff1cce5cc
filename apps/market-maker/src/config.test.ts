import { describe, expect, it } from 'vitest';
import { DEFAULTS, defaultStateFile, parseConfig } from './config.ts';

describe('config', () => {
  it('taker band and state file: defaults, flags, environment', () => {
    const plain = parseConfig([], {});
    expect([plain.takerBandBps, plain.stateFile]).toEqual([DEFAULTS.takerBandBps, undefined]);
    expect(parseConfig(['--taker-band-bps', '50'], {}).takerBandBps).toBe(50);
    expect(parseConfig([], { MM_TAKER_BAND_BPS: '40' }).takerBandBps).toBe(40);
    expect(parseConfig([], { MM_STATE_FILE: '/var/mm.json' }).stateFile).toBe('/var/mm.json');
    expect(parseConfig(['--state-file', 'a.json'], { MM_STATE_FILE: 'b.json' }).stateFile).toBe('a.json');
    // The standalone bot's default, one file per exchange URL; "none" turns persistence off.
    const standalone = { defaultStateFile };
    expect(parseConfig(['--url', 'http://127.0.0.1:8080'], {}, standalone).stateFile).toBe('data/market-maker-127.0.0.1_8080.json');
    expect(parseConfig(['--url', 'https://mbx.example'], {}, standalone).stateFile).toBe('data/market-maker-mbx.example_443.json');
    expect(parseConfig(['--state-file', 'none'], {}, standalone).stateFile).toBeUndefined();
    expect(parseConfig([], { MM_STATE_FILE: 'none' }, standalone).stateFile).toBeUndefined();
  });
});
