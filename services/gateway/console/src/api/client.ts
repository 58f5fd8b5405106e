// The gateway's REST API as the console uses it. The access token lives in memory only; the refresh
// token in sessionStorage, so a reload of the tab signs in again silently and closing the tab ends it.
// A 401 triggers one refresh and one retry; when that fails the session is over (onSessionEnded).
import type { Role } from '@shouwang/domain';

export const API_BASE = '/api/v1';
const REFRESH_KEY = 'shouwang.refreshToken';

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  areaCode: string;
  department: string | null;
}

export interface Session {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds. */
  expiresIn: number;
  refreshToken: string;
  user: User;
}

/** The gateway's error body: `{ error: { code, kind, message, messageZh?, field?, issues?, requestId } }`. */
export interface ErrorBody {
  code: string;
  kind?: string;
  message: string;
  messageZh?: string;
  field?: string;
  issues?: { field?: string; code?: string; message: string; messageZh?: string }[];
  requestId?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
    this.name = 'ApiError';
  }
  get code() {
    return this.body.code;
  }
  /** The server's message in the given language (Chinese falls back to English when the server has none). */
  messageIn(lang: 'zh' | 'en'): string {
    return lang === 'zh' ? (this.body.messageZh ?? this.body.message) : this.body.message;
  }
}

/** The server could not be reached at all (network down, gateway stopped). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super(`network error: ${String(cause)}`, { cause });
    this.name = 'NetworkError';
  }
}

let accessToken: string | null = null;
let sessionEnded: (() => void) | null = null;
let refreshing: Promise<Session | null> | null = null;

/** Called once per session end caused by the server (refresh refused), not by signOut(). */
export function onSessionEnded(listener: (() => void) | null) {
  sessionEnded = listener;
}

function storedRefreshToken(): string | null {
  try {
    return sessionStorage.getItem(REFRESH_KEY);
  } catch {
    return null;
  }
}

function keep(session: Session): Session {
  accessToken = session.accessToken;
  try {
    sessionStorage.setItem(REFRESH_KEY, session.refreshToken);
  } catch {
    // storage disabled: the session ends with the page
  }
  return session;
}

function forget() {
  accessToken = null;
  try {
    sessionStorage.removeItem(REFRESH_KEY);
  } catch {
    // nothing stored
  }
}

async function send(path: string, init: RequestInit, token: string | null): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('accept', 'application/json');
  if (init.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  if (token) headers.set('authorization', `Bearer ${token}`);
  try {
    return await fetch(`${API_BASE}${path}`, { ...init, headers });
  } catch (e) {
    throw new NetworkError(e);
  }
}

async function errorOf(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const err = (body as { error?: ErrorBody } | undefined)?.error;
  if (err && typeof err.code === 'string' && typeof err.message === 'string') return new ApiError(res.status, err);
  return new ApiError(res.status, { code: 'unexpected_response', message: `HTTP ${res.status} ${res.statusText}` });
}

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw await errorOf(res);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** Signs in; throws ApiError (invalid_credentials 401, account_locked 429, …) or NetworkError. */
export async function login(username: string, password: string): Promise<Session> {
  const res = await send('/auth/login', { method: 'POST', body: JSON.stringify({ username, password }) }, null);
  return keep(await json<Session>(res));
}

/**
 * Trades the stored refresh token for a new session; null when there is none or the server refuses it.
 * Concurrent callers share one request (refresh tokens are single-use).
 */
export function refresh(): Promise<Session | null> {
  refreshing ??= (async () => {
    const token = storedRefreshToken();
    if (!token) return null;
    try {
      const res = await send('/auth/refresh', { method: 'POST', body: JSON.stringify({ refreshToken: token }) }, null);
      if (res.ok) return keep((await res.json()) as Session);
      if (res.status === 400 || res.status === 401 || res.status === 403) forget();
      return null;
    } catch {
      return null; // network: keep the refresh token for a later try
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** Signs out on the server (best effort: the local session ends whatever the server says). */
export async function logout(): Promise<void> {
  const token = accessToken;
  const refreshToken = storedRefreshToken();
  forget();
  if (!token) return;
  try {
    await send('/auth/logout', { method: 'POST', body: JSON.stringify(refreshToken ? { refreshToken } : {}) }, token);
  } catch {
    // offline: the access token expires on its own
  }
}

/**
 * An authenticated API call: `api<{ user: User }>('/auth/me')`. On 401 it refreshes once and retries;
 * if that fails the session has ended and the console returns to sign-in.
 */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res = await send(path, init, accessToken);
  if (res.status === 401) {
    const session = await refresh();
    if (!session) {
      forget();
      sessionEnded?.();
      throw await errorOf(res);
    }
    res = await send(path, init, session.accessToken);
    if (res.status === 401) {
      forget();
      sessionEnded?.();
    }
  }
  return json<T>(res);
}

/** The signed-in user, as the server knows them now. */
export async function me(): Promise<User> {
  return (await api<{ user: User }>('/auth/me')).user;
}
