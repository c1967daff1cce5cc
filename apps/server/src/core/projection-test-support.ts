import { expect } from 'vitest';
import type { Exchange } from './exchange.ts';

/** Waits (up to ~6 s) until the store's cursor and the reported progress reach `target`, then checks both. */
export async function expectProjectedTo(ex: Exchange, target: number): Promise<void> {
  for (let i = 0; i < 500 && (await ex.projector!.cursor()) < target; i++) await new Promise((r) => setTimeout(r, 10));
  expect(await ex.projector!.cursor()).toBe(target);
  for (let i = 0; i < 100 && ex.projector!.stats.seq < target; i++) await new Promise((r) => setTimeout(r, 10));
  expect(ex.projectorProgress()).toEqual({ seq: target, lag: 0 });
}
