import { api, ApiError, csrfHeaders, type ApiIssue } from '../../api';

/** The partner pages' reads and writes, all through the public /api/v1 routes. */
export const projectBase = (code: string) => `/api/v1/projects/${encodeURIComponent(code)}`;

/** 403 (another partner), 404 (no such record, or another partner's) and 422 (no such partner) all read "not available". */
export function isUnavailable(e: unknown): boolean {
  return e instanceof ApiError && [403, 404, 422].includes(e.status);
}

async function answer<T>(res: Response): Promise<T> {
  const json = (await res.json().catch(() => ({}))) as { message?: string; issues?: ApiIssue[] };
  if (!res.ok) throw new ApiError(res.status, json.message ?? res.statusText, json.issues);
  return json as T;
}

/** A JSON write with the session's CSRF header and, for a correction, the revision it was read at. */
export async function write<T>(path: string, body: unknown, revision?: number): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      Accept: 'application/json',
      'Content-Type': 'application/json',
      ...csrfHeaders(),
      ...(revision !== undefined ? { 'If-Match': `"${revision}"` } : {}),
    },
    body: JSON.stringify(body),
  });
  return answer<T>(res);
}

/** A multipart upload (the browser sets the boundary). */
export async function upload<T>(path: string, form: FormData): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { Accept: 'application/json', ...csrfHeaders() },
    body: form,
  });
  return answer<T>(res);
}

export async function getText(path: string): Promise<string> {
  const res = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'text/csv' } });
  if (!res.ok) throw new ApiError(res.status, res.statusText);
  return res.text();
}

export const read = api.get;

/** Money from whole cents (an integer), as the API's decimal string: no float arithmetic on amounts. */
export function centsToMoney(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
