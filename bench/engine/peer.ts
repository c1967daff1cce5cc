import { OrderBook, Side } from 'nodejs-order-book';
import type { PeerOp } from './streams.ts';

/**
 * The peer, nodejs-order-book (npm), one OrderBook per symbol, journaling off (its default).
 * It matches only: no accounts, locks, fees or events, so a ratio against it is conservative.
 */
export class PeerBooks {
  private readonly books: OrderBook[];
  /** Cancels whose target was no longer on the book (filled or already cancelled). */
  cancelMisses = 0;

  constructor(symbolCount: number) {
    this.books = Array.from({ length: symbolCount }, () => new OrderBook());
  }

  apply(op: PeerOp): void {
    const book = this.books[op.book]!;
    if (op.k === 0) {
      book.limit({ id: op.id, side: op.side === 'buy' ? Side.BUY : Side.SELL, size: op.size, price: op.price });
    } else if (op.k === 1) {
      book.market({ side: op.side === 'buy' ? Side.BUY : Side.SELL, size: op.size });
    } else if (book.cancel(op.id) === undefined) {
      this.cancelMisses++;
    }
  }

  /** Resting orders over all books (walks the books: not for timed code). */
  openOrderCount(): number {
    let n = 0;
    for (const book of this.books) n += countOrders(book);
    return n;
  }
}

function countOrders(book: OrderBook): number {
  const snapshot = book.snapshot();
  let n = 0;
  for (const level of [...snapshot.asks, ...snapshot.bids]) n += level.orders.length;
  return n;
}
