/// <reference lib="dom" />
/** Fetch wrapper: JSON in and out, Binance-style `{code, msg}` errors surfaced as ApiError. */

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: number, msg: string) {
    super(msg);
    this.name = 'ApiError';
  }
  /** "Filter failure: LOT_SIZE (-1013)" — what the UI shows. */
  get display(): string {
    return this.code ? `${this.message} (${this.code})` : this.message;
  }
}

/** Base URL of the exchange; same origin unless the page sets `window.MATCHBOX_API`. */
export function apiBase(): string {
  const w = globalThis as { MATCHBOX_API?: string };
  return w.MATCHBOX_API ?? '';
}

export function wsBase(): string {
  const base = apiBase();
  if (base) return base.replace(/^http/, 'ws');
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
}

export async function request<T>(method: string, path: string, init: { body?: string; headers?: Record<string, string>; credentials?: RequestCredentials } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(apiBase() + path, { method, body: init.body, headers: init.headers, credentials: init.credentials ?? 'same-origin' });
  } catch {
    throw new ApiError(0, 0, 'Cannot reach the exchange. Check your connection.');
  }
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const body = data as { code?: number; msg?: string; message?: string; error?: string } | undefined;
    const msg = body?.msg ?? body?.message ?? body?.error ?? (text.slice(0, 200) || res.statusText || `HTTP ${res.status}`);
    throw new ApiError(res.status, typeof body?.code === 'number' ? body.code : 0, msg);
  }
  return data as T;
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.display;
  if (e instanceof Error) return e.message;
  return String(e);
}
