export { MarketMaker } from './market-maker.ts';
export { parseConfig, defaultStateFile, DEFAULTS, type MakerConfig, type ParseOptions } from './config.ts';
export { loadState, saveState, type BotState, type SavedAccount } from './state.ts';
export { desiredQuotes, reconcile, type Quote, type LadderParams, type Resting } from './ladder.ts';
export { ReferencePrice } from './random-walk.ts';
export { Prng } from '@matchbox/domain';
export { TokenBucket } from './budget.ts';
