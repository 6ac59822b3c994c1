/**
 * The pages' only way to the ledger: the same /api/v1 routes as any client, signed in by the
 * http-only session cookie (which no script here can read); unsafe requests carry the session's
 * CSRF token in a header.
 */
import { withAsOf } from './as-of';

export type Role = 'agency-auditor' | 'finance-officer' | 'partner-submitter' | 'admin';

export interface Actor {
  readonly subject: string;
  readonly role: Role;
  readonly partnerId?: string;
}

export interface SessionAnswer {
  readonly signedIn: boolean;
  readonly actor?: Actor;
  readonly csrfToken?: string;
  readonly signIn: { readonly oidc: boolean; readonly demoUsers: readonly Actor[] };
  readonly project: string | null;
}

/** One refused field of a 400/422 answer: the field's path in the body, the rule, the message. */
export interface ApiIssue {
  readonly field: string;
  readonly rule: string;
  readonly message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: readonly ApiIssue[] = [],
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;
/** The session's CSRF header, for the requests other modules build themselves (uploads, If-Match). */
export const csrfHeaders = (): Record<string, string> => (csrfToken ? { 'X-CSRF-Token': csrfToken } : {});

async function call<T>(method: string, path: string, body?: unknown, accept = true): Promise<T> {
  const headers: Record<string, string> = accept ? { Accept: 'application/json' } : {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (res.status === 204) return undefined as T;
  const json = (await res.json().catch(() => ({}))) as { message?: string; issues?: ApiIssue[] };
  if (!res.ok) throw new ApiError(res.status, json.message ?? res.statusText, json.issues);
  return json as T;
}

export const api = {
  // Every read carries the page's as-of day where the route takes one (see as-of.ts).
  get: <T>(path: string) => call<T>('GET', withAsOf(path)),
  /**
   * A read the page's HTML may have preloaded (web-app.middleware.ts): sent with no header of its
   * own, as the preload was, since the browser hands a preloaded answer only to the same request.
   */
  getPreloaded: <T>(path: string) => call<T>('GET', withAsOf(path), undefined, false),
  post: <T>(path: string, body: unknown) => call<T>('POST', path, body),
};

export async function loadSession(): Promise<SessionAnswer> {
  const session = await api.getPreloaded<SessionAnswer>('/auth/me');
  csrfToken = session.csrfToken;
  return session;
}

let firstSession: Promise<SessionAnswer> | undefined;
/** The session the page opened with: asked for once, as the entry script starts (main.tsx). */
export function openingSession(): Promise<SessionAnswer> {
  firstSession ??= loadSession();
  return firstSession;
}

export async function demoSignIn(user: string): Promise<SessionAnswer> {
  const session = await api.post<SessionAnswer>('/auth/demo', { user });
  csrfToken = session.csrfToken;
  return session;
}

export async function signOut(): Promise<void> {
  await api.post<void>('/auth/logout', {});
  csrfToken = undefined;
}
