export * from './decimal.ts';
export * from './errors.ts';
export * from './market.ts';
export * from './commands.ts';
export * from './events.ts';
export * from './intervals.ts';
export * from './prng.ts';
