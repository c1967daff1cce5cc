import { describe, expect, test } from 'vitest';
import { OrderIndex } from '../src/book/order-index.ts';
import type { Order } from '../src/book/order.ts';

const fake = (id: number): Order => ({ orderId: id }) as unknown as Order;

describe('OrderIndex', () => {
  test('agrees with a Map over random open/close traffic, including pages that empty and are reused', () => {
    const index = new OrderIndex();
    const model = new Map<number, Order>();
    const open: number[] = [];
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    let nextId = 1;
    for (let step = 0; step < 60_000; step++) {
      const r = rnd();
      if (r < 0.5 || model.size === 0) {
        // Ids grow; sometimes jump a whole page so pages empty and a spare is reused.
        nextId += r < 0.02 ? 5000 : 1;
        const o = fake(nextId);
        index.set(nextId, o);
        model.set(nextId, o);
        open.push(nextId);
      } else {
        let id = nextId + 17; // not open
        if (r < 0.9) {
          const k = Math.floor(rnd() * open.length);
          id = open[k]!;
          open[k] = open[open.length - 1]!;
          open.pop();
        }
        expect(index.delete(id)).toBe(model.delete(id));
      }
      if (step % 997 === 0) {
        expect(index.size).toBe(model.size);
        expect([...index.values()]).toEqual([...model.values()].sort((a, b) => a.orderId - b.orderId));
        const wrong: number[] = [];
        for (let id = Math.max(1, nextId - 9000); id <= nextId + 10; id++) if (index.get(id) !== model.get(id)) wrong.push(id);
        expect(wrong).toEqual([]);
      }
    }
  });

  test('a page emptied and reused for later ids shows none of its old orders', () => {
    const index = new OrderIndex();
    index.set(5, fake(5));
    index.set(6, fake(6));
    index.delete(5);
    index.delete(6); // its page empties and becomes the spare
    index.set(4096 * 3 + 6, fake(4096 * 3 + 6)); // a new page: the spare
    expect(index.get(6)).toBeUndefined();
    expect(index.get(5)).toBeUndefined();
    expect(index.get(4096 * 3 + 5)).toBeUndefined();
    expect(index.get(4096 * 3 + 6)?.orderId).toBe(4096 * 3 + 6);
    expect(index.size).toBe(1);
  });
});
