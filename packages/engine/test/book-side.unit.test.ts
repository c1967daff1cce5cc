import { describe, expect, test } from 'vitest';
import { BookSide } from '../src/book/book-side.ts';
import { StopBook } from '../src/book/stop-book.ts';
import { Order } from '../src/book/order.ts';

const prices = (side: BookSide): number[] => [...side.fromBest()].map((l) => l.priceTicks);

describe('BookSide', () => {
  test.each([true, false])('keeps levels sorted best-last whatever the insertion order (bid side: %s)', (isBid) => {
    const side = new BookSide(isBid);
    const input = [50, 10, 90, 30, 70, 20, 80, 60, 40, 100, 55];
    for (const p of input) side.getOrCreate(p);
    const sorted = [...input].sort((a, b) => (isBid ? b - a : a - b));
    expect(prices(side)).toEqual(sorted);
    expect(side.best!.priceTicks).toBe(sorted[0]);
    expect(side.getOrCreate(50)).toBe(side.get(50)); // existing level is reused
    for (const p of [sorted[0]!, 55, sorted[sorted.length - 1]!]) side.remove(side.get(p)!);
    const left = sorted.filter((p) => ![sorted[0], 55, sorted[sorted.length - 1]].includes(p));
    expect(prices(side)).toEqual(left);
    expect(side.best!.priceTicks).toBe(left[0]);
    expect(side.levelCount).toBe(left.length);
  });

  test('best becomes null when the last level goes', () => {
    const side = new BookSide(true);
    side.remove(side.getOrCreate(5));
    expect(side.best).toBeNull();
    expect(side.levelCount).toBe(0);
  });
});

describe('StopBook', () => {
  const order = (id: number, stop: number): Order => new Order(id, 1, 0, 0, stop, 1, '', 0);

  test('rising stops trigger lowest first, falling stops highest first, ties by order id', () => {
    const book = new StopBook();
    const r = [order(1, 105), order(2, 103), order(3, 103), order(4, 110)];
    const f = [order(5, 95), order(6, 97), order(7, 97)];
    for (const o of r) book.add(o, true);
    for (const o of f) book.add(o, false);
    expect(book.popTriggered(100)).toBeNull();
    const fired: number[] = [];
    for (let hit = book.popTriggered(106); hit; hit = book.popTriggered(106)) fired.push(hit.order.orderId);
    expect(fired).toEqual([2, 3, 1]);
    for (let hit = book.popTriggered(96); hit; hit = book.popTriggered(96)) fired.push(hit.order.orderId);
    expect(fired).toEqual([2, 3, 1, 6, 7]);
    expect(book.remove(f[0]!, false)).toBe(true);
    expect(book.remove(f[0]!, false)).toBe(false);
    expect(book.size).toBe(1);
  });
});
