import type { Command, EngineEvent } from '@matchbox/domain';
import { BusyError } from './errors.ts';

/** What a submitter learns once its command is durable. */
export interface Accepted {
  readonly seq: number;
  readonly tsMs: number;
  readonly events: readonly EngineEvent[];
}

export interface Waiter {
  readonly command: Command;
  /** Written next to the command in the log (a remote gateway's handle on it); the engine never sees it. */
  readonly requestId?: string;
  resolve(result: Accepted): void;
  reject(err: Error): void;
}

/**
 * A bounded FIFO between submitters and the sequencer loop. Full means "busy" right away, never
 * unbounded growth: under overload clients get a clear error instead of the process running out
 * of memory with acknowledged-looking work it cannot finish.
 */
export class IntakeQueue {
  private items: Waiter[] = [];
  private head = 0;
  private wake: (() => void) | null = null;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('intake capacity must be a positive integer');
  }

  get size(): number { return this.items.length - this.head; }

  /** Throws BusyError when full. */
  push(w: Waiter): void {
    if (this.size >= this.capacity) throw new BusyError(this.size);
    this.items.push(w);
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Up to `max` waiters in arrival order. */
  take(max: number): Waiter[] {
    const end = Math.min(this.items.length, this.head + max);
    const out = this.items.slice(this.head, end);
    this.head = end;
    // Compact now and then so the array does not keep every waiter ever seen.
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return out;
  }

  /** Resolves when something is queued (or `interrupt` is called). */
  whenNotEmpty(): Promise<void> {
    if (this.size > 0) return Promise.resolve();
    return new Promise((resolve) => { this.wake = resolve; });
  }

  interrupt(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  drainAll(): Waiter[] { return this.take(this.size); }
}
