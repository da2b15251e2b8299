import type { ErrorBody, FieldIssue } from '@opsline/contracts';

/** Every API path is under this prefix; the console is served from the same origin. */
export const API_BASE = '/api/v1';

const CSRF_COOKIE = 'opsline_csrf';
const MUTATING = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** A failed API call: the HTTP status and the server's `{error: {code, message, details}}`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Field problems of a 400 VALIDATION_FAILED, e.g. `{field: 'body.username', message}`. */
    readonly issues: FieldIssue[] = [],
    readonly details: unknown = undefined,
    /** Seconds from a 429's Retry-After header, when the server sent one. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

/** Codes the client makes up when no API answer could be read. */
export const CLIENT_ERROR = { network: 'NETWORK_ERROR', badResponse: 'BAD_RESPONSE' } as const;

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** A body sent as it is (CSV), instead of `body` as JSON. */
  raw?: { contentType: string; text: string };
  /** What to ask for; JSON unless said (a CSV download). */
  accept?: string;
  signal?: AbortSignal;
  /**
   * Do not treat a 401 as "session ended" (login itself, and the start-up
   * /auth/me probe, answer 401 as a normal outcome).
   */
  expectUnauthorized?: boolean;
}

let csrfToken: string | null = null;
let onSessionEnded: (() => void) | null = null;

/** Remember the CSRF token of the current session (from login or /auth/me). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when an API call answers 401: the session expired or was revoked. */
export function onUnauthorized(handler: () => void): void {
  onSessionEnded = handler;
}

function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

/** `?a=1&b=x`, leaving out empty values so filters can be passed as they are. */
export function toQueryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function parseError(res: Response): Promise<ApiError> {
  const retryAfter = Number(res.headers.get('retry-after'));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null;
  let body: Partial<ErrorBody> | null = null;
  try {
    body = (await res.json()) as Partial<ErrorBody>;
  } catch {
    // A proxy's HTML error page or an empty body: fall through to a generic error.
  }
  const error = body?.error;
  if (!error || typeof error.code !== 'string') {
    return new ApiError(res.status, CLIENT_ERROR.badResponse, res.statusText || `HTTP ${res.status}`, [], undefined, retryAfterSeconds);
  }
  return new ApiError(res.status, error.code, error.message, issuesOf(error.details), error.details, retryAfterSeconds);
}

function issuesOf(details: unknown): FieldIssue[] {
  if (typeof details !== 'object' || details === null || !('issues' in details)) return [];
  const issues = details.issues;
  if (!Array.isArray(issues)) return [];
  return issues.filter(
    (i): i is FieldIssue =>
      typeof i === 'object' && i !== null && typeof (i as FieldIssue).field === 'string' && typeof (i as FieldIssue).message === 'string',
  );
}

async function send(method: string, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: options.accept ?? 'application/json' };
  if (options.raw) headers['Content-Type'] = options.raw.contentType;
  else if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (MUTATING.has(method)) {
    // The cookie holds the freshest value (another tab may have signed in again).
    const token = readCookie(CSRF_COOKIE) ?? csrfToken;
    if (token) headers['X-CSRF-Token'] = token;
  }
  try {
    return await fetch(`${API_BASE}${path}${toQueryString(options.query)}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.raw ? options.raw.text : options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, CLIENT_ERROR.network, err instanceof Error ? err.message : String(err));
  }
}

/** Fetch the session's CSRF token again, after the server refused a stale one. */
async function refreshCsrfToken(): Promise<boolean> {
  const res = await send('GET', '/auth/me', {});
  if (!res.ok) return false;
  const me = (await res.json()) as { csrfToken: string | null };
  setCsrfToken(me.csrfToken);
  return me.csrfToken !== null;
}

/** A successful answer, after retrying once with a fresh CSRF token; anything else throws an ApiError. */
async function fetchOk(method: string, path: string, options: RequestOptions): Promise<Response> {
  let res = await send(method, path, options);
  if (res.status === 403 && MUTATING.has(method)) {
    const err = await parseError(res.clone());
    if (err.code === 'CSRF_REJECTED' && (await refreshCsrfToken())) res = await send(method, path, options);
  }
  if (!res.ok) {
    const err = await parseError(res);
    if (res.status === 401 && !options.expectUnauthorized) onSessionEnded?.();
    throw err;
  }
  return res;
}

/** The one request function every `api/<domain>.ts` calls. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const res = await fetchOk(method, path, options);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(res.status, CLIENT_ERROR.badResponse, 'The server answered with something other than JSON');
  }
}

/** A file the server sends (an export): its bytes and the name from Content-Disposition, if any. */
export interface DownloadedFile {
  blob: Blob;
  filename: string | null;
}

function filenameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (encoded?.[1]) return decodeURIComponent(encoded[1]);
  return /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? null;
}

/** GET a file (not JSON) with the same session, CSRF and error handling as `request`. */
export async function download(path: string, query: Query | undefined, accept: string): Promise<DownloadedFile> {
  const res = await fetchOk('GET', path, { query, accept });
  return { blob: await res.blob(), filename: filenameOf(res.headers.get('content-disposition')) };
}

export const http = {
  get: <T>(path: string, query?: Query, options: Omit<RequestOptions, 'query' | 'body'> = {}) =>
    request<T>('GET', path, { ...options, query }),
  post: <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}) =>
    request<T>('POST', path, { ...options, body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
};

/** `/users/:id` with the id encoded. */
export const pathOf = (base: string, id: string): string => `${base}/${encodeURIComponent(id)}`;
