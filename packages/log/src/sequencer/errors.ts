/** The intake queue is full: the caller should retry later (HTTP 503 / Binance -1008). Nothing
 *  about this command was accepted. */
export class BusyError extends Error {
  readonly code = 'BUSY';
  constructor(queued: number) {
    super(`sequencer busy: ${queued} commands already queued, try again shortly`);
    this.name = 'BusyError';
  }
}

/** The sequencer is shutting down or stopped; the command was not accepted. */
export class SequencerClosedError extends Error {
  readonly code = 'CLOSED';
  constructor(reason: string) {
    super(`sequencer is not accepting commands: ${reason}`);
    this.name = 'SequencerClosedError';
  }
}

/**
 * A durable write failed, so the engine is ahead of the log. The command's outcome is unknown
 * (it may or may not be in the log); the process must restart and recover from the log.
 */
export class SequencerFailedError extends Error {
  readonly code = 'FAILED';
  constructor(override readonly cause: Error) {
    super(`sequencer stopped after a log failure: ${cause.message}`);
    this.name = 'SequencerFailedError';
  }
}
