/**
 * The one SQL surface the store uses. Two implementations run the same SQL text: node-postgres
 * (`PgDriver`, a pool) and PGlite (`PgliteDriver`, embedded, one connection).
 *
 * Value contract (both drivers): int2/int4/int8 come back as JS numbers (every integer the store
 * keeps — ticks, lots, units, seqs, ms — is a safe integer; a larger int8 throws rather than
 * rounds); NUMERIC comes back as a decimal string; booleans as booleans; text as strings.
 * Parameters: numbers, strings, booleans, null and arrays of them (for `unnest($1::bigint[])`),
 * and bytes (`Uint8Array`) for a `json` parameter only: its UTF-8 text, sent in binary format as
 * is (for other types PGlite would send their text form, and `jsonb`'s binary form differs).
 */
export type SqlParam = string | number | boolean | null | Uint8Array | readonly (string | number | boolean | null)[];

export interface SqlExecutor {
  /** Runs one statement with `$n` parameters and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
}

export interface SqlDriver extends SqlExecutor {
  readonly kind: 'pg' | 'pglite';
  /**
   * Runs `fn` inside BEGIN … COMMIT on one connection; ROLLBACK if it throws. Resolves after the
   * COMMIT is acknowledged, i.e. once the rows are durable (synchronous_commit = on on PostgreSQL).
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** Schema names are interpolated into SQL, so only plain identifiers are accepted. */
export const IDENT_RE = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertIdent(name: string, what: string): void {
  if (!IDENT_RE.test(name)) throw new Error(`${what} "${name}" must be a plain lower-case identifier`);
}

/** int8 text → number, refusing values a double cannot hold exactly. */
export function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 ${text} is outside the safe integer range`);
  return n;
}
