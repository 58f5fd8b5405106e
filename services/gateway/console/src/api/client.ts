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
  issues?: FieldError[];
  /** Non-personal facts that help to act on the error, e.g. `{ householdId }` of a conflicting record. */
  details?: Record<string, string>;
  requestId?: string;
}

/** One problem with one field, e.g. `{ field: 'members[0].idNumber', code: 'invalid_id_checksum', … }`. */
export interface FieldError {
  field?: string;
  code?: string;
  message: string;
  messageZh?: string;
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
  /**
   * The field problems of the answer: its issues, or the one field the error names (a 409 on
   * `members[1].idNumber`); empty when the error is about the request as a whole.
   */
  get fieldErrors(): FieldError[] {
    if (this.body.issues?.length) return this.body.issues;
    const { field, code, message, messageZh } = this.body;
    return field ? [{ field, code, message, messageZh }] : [];
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
  if (!headers.has('accept')) headers.set('accept', 'application/json');
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
  return json<T>(await authorized(path, init));
}

/**
 * Like api(), for answers whose headers or body are not plain JSON (an ETag, a file download): the
 * successful Response itself; ApiError for anything else.
 */
export async function apiResponse(path: string, init: RequestInit = {}): Promise<Response> {
  const res = await authorized(path, init);
  if (!res.ok) throw await errorOf(res);
  return res;
}

/** A file the API serves (an import template, an error report), with the name the server gives it. */
export async function download(path: string, fallbackName: string): Promise<{ blob: Blob; fileName: string }> {
  const res = await apiResponse(path, { headers: { accept: '*/*' } });
  return { blob: await res.blob(), fileName: fileNameOf(res.headers.get('content-disposition')) ?? fallbackName };
}

/** The file name of a Content-Disposition header (RFC 6266: filename* in UTF-8 wins over filename). */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // malformed escape: fall back to the plain name
    }
  }
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/i.exec(disposition);
  return plain ? (plain[1] ?? plain[2]).trim() : null;
}

/** `?a=1&b=x` from the parameters that have a value (undefined, null and '' are left out); '' when none. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The bearer call with one refresh-and-retry on 401 (see api()). */
async function authorized(path: string, init: RequestInit): Promise<Response> {
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
  return res;
}

/** The signed-in user, as the server knows them now. */
export async function me(): Promise<User> {
  return (await api<{ user: User }>('/auth/me')).user;
}
