/**
 * An answer that is not 2xx. `code`/`msg` are Binance's (the server's one catalogue);
 * `retryAfterSec` is set on 429/418. A 5xx on an order means "status unknown": look the order
 * up by its clientOrderId before sending it again.
 */
export class MatchboxApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly msg: string,
    readonly retryAfterSec: number | undefined,
  ) {
    super(`HTTP ${status} ${code}: ${msg}`);
    this.name = 'MatchboxApiError';
  }

  /** True for rate-limit answers (429 too many requests, 418 banned). */
  get isRateLimited(): boolean {
    return this.status === 429 || this.status === 418;
  }

  /** True when the request may or may not have taken effect (server fault or timeout). */
  get isStatusUnknown(): boolean {
    return this.status >= 500;
  }
}
