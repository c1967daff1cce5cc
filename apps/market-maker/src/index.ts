export { MarketMaker } from './market-maker.ts';
export { parseConfig, DEFAULTS, type MakerConfig } from './config.ts';
export { desiredQuotes, reconcile, type Quote, type LadderParams, type Resting } from './ladder.ts';
export { ReferencePrice } from './random-walk.ts';
export { Prng } from '@matchbox/domain';
export { TokenBucket } from './budget.ts';
