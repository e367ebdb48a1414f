import type { Session } from '../../contracts/auth.ts';
import {
  announceRefreshing,
  askOtherTabs,
  getSession,
  hasFresherSession,
  refreshedElsewhere,
  shareSession,
  signedIn,
  signedOut,
} from './session-store.ts';

export const API = '/api/v1';

/** An error answer of the API: `{"error": {"code", "message", "fields"?}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const SESSION_ENDED_MESSAGE =
  'Your session has ended (it expired, or you signed out elsewhere). Please sign in again.';

async function toApiError(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as {
      error?: { code?: string; message?: string; fields?: Record<string, string> };
    };
    const e = body.error ?? {};
    return new ApiError(
      res.status,
      e.code ?? 'error',
      e.message ?? `The server answered ${res.status}.`,
      e.fields,
    );
  } catch {
    return new ApiError(res.status, 'error', `The server answered ${res.status}.`);
  }
}

let refreshing: Promise<boolean> | null = null;

/**
 * Exchanges the refresh cookie for a new access token. Each refresh token works once, so
 * concurrent callers in this tab share one request, and the browser's tabs share one refresh:
 * under a Web Lock, a tab first takes a session another tab has just obtained (broadcast, or
 * asked for), and only refreshes when none has one. Restoring ten tabs makes one refresh.
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const stale = getSession().accessToken;
    try {
      const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
      if (!locks) {
        if (await refreshedElsewhere(stale)) return true;
        announceRefreshing();
        return await refreshNow();
      }
      return await locks.request(REFRESH_LOCK, async () => {
        if (hasFresherSession(stale) || (await askOtherTabs(stale))) return true;
        return refreshNow();
      });
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

const REFRESH_LOCK = 'jobforge.refresh';

async function refreshNow(): Promise<boolean> {
  try {
    const res = await fetch(`${API}/auth/refresh`, { method: 'POST' });
    if (!res.ok) return false;
    const s = (await res.json()) as Session;
    signedIn(s.user, s.access_token);
    shareSession();
    return true;
  } catch {
    return false;
  }
}

export interface RequestOptions {
  body?: unknown;
  /** A multipart body (file uploads); the browser sets its content type and boundary. */
  form?: FormData;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/**
 * Sends a request with the in-memory access token and answers the Response when it is OK. A 401
 * refreshes the session once and retries; if that fails too the user is signed out with a
 * message saying why. For answers that are not one JSON body (the drafting event stream).
 */
export async function apiFetch(
  method: string,
  path: string,
  opts: RequestOptions = {},
): Promise<Response> {
  const send = () => {
    const headers: Record<string, string> = { ...opts.headers };
    const token = getSession().accessToken;
    if (token) headers.authorization = `Bearer ${token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    return fetch(API + path, {
      method,
      headers,
      body: opts.form ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
      signal: opts.signal,
    });
  };
  let res = await send();
  if (res.status === 401 && !path.startsWith('/auth/')) {
    if (await refreshSession()) res = await send();
    if (res.status === 401) {
      signedOut(SESSION_ENDED_MESSAGE);
      throw new ApiError(401, 'unauthorized', SESSION_ENDED_MESSAGE);
    }
  }
  if (!res.ok) throw await toApiError(res);
  return res;
}

/** Calls the API (see apiFetch) and answers its JSON body. */
export async function api<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await apiFetch(method, path, opts);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A query string from defined values only. */
export function qs(params: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
