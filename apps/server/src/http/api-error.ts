import { ERRORS, type ErrorName } from '@matchbox/domain';

/**
 * A Binance-style error answer: HTTP status, `{code, msg}` and optional extra fields.
 *
 * Built without a stack trace: it is an answer to the client, never logged with its stack, and
 * capturing one (a walk of the whole JS stack) was the gateway's largest single cost under load.
 */
export class ApiError extends Error {
  readonly code: number;
  readonly http: number;
  constructor(readonly errorName: ErrorName, msg?: string, readonly extra?: Record<string, unknown>, http?: number) {
    const message = msg ?? ERRORS[errorName].msg;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.code = ERRORS[errorName].code;
    this.http = http ?? ERRORS[errorName].http;
  }

  retryAfterSec: number | undefined;

  withRetryAfter(seconds: number): this {
    this.retryAfterSec = seconds;
    return this;
  }

  body(): Record<string, unknown> {
    return { code: this.code, msg: this.message, ...this.extra };
  }
}

// Binance's own wording for the request-content errors, naming the parameter.
export const missing = (name: string): ApiError =>
  new ApiError('MANDATORY_PARAM_EMPTY_OR_MALFORMED', `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);
export const illegal = (name: string, legal: string): ApiError =>
  new ApiError('ILLEGAL_CHARS', `Illegal characters found in parameter '${name}'; legal range is '${legal}'.`);
export const empty = (name: string): ApiError => new ApiError('PARAM_EMPTY', `Parameter '${name}' was empty.`);
export const notRequired = (name: string): ApiError => new ApiError('PARAM_NOT_REQUIRED', `Parameter '${name}' sent when not required.`);
export const tooPrecise = (): ApiError => new ApiError('BAD_PRECISION');
