import { useEffect, useState } from 'preact/hooks';

/**
 * The as-of day the pages show (`?asOf=YYYY-MM-DD` in the address), so a link or a reload keeps
 * it. Only the routes that take `asOf` get it: the others would refuse an unknown parameter.
 */
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The API routes that answer as of a day (the figures, the audit trail, alerts, one record, the record lists). */
const TAKES_AS_OF = [
  /^\/api\/v1\/projects\/[^/]+\/(progress|volumes|budget|audit|alerts)(\?|$)/,
  /^\/api\/v1\/projects\/[^/]+\/exports\/[a-z-]+(\?|$)/,
  /^\/api\/v1\/projects\/[^/]+\/(activities|expenditures)\/[0-9a-f-]{36}(\?|$)/,
  /^\/api\/v1\/projects\/[^/]+\/(activities|expenditures|verification-queue|expenditure-register)(\?|$)/,
];

export function currentAsOf(): string | null {
  const day = new URLSearchParams(location.search).get('asOf');
  return day && DAY.test(day) ? day : null;
}

/** An API path with the page's `asOf` added, when the route takes it and the path has none. */
export function withAsOf(path: string): string {
  const day = currentAsOf();
  if (!day || /[?&]asOf=/.test(path) || !TAKES_AS_OF.some((r) => r.test(path))) return path;
  return `${path}${path.includes('?') ? '&' : '?'}asOf=${day}`;
}

/** An in-app address (`/audit?figure=…`) keeping the page's `asOf` in its query. */
export function pageHref(to: string): string {
  const day = currentAsOf();
  if (!day || /[?&]asOf=/.test(to)) return to;
  return `${to}${to.includes('?') ? '&' : '?'}asOf=${day}`;
}

/** The same page at another day (null: now), as an address. */
export function hrefAt(day: string | null): string {
  const params = new URLSearchParams(location.search);
  if (day) params.set('asOf', day);
  else params.delete('asOf');
  const query = params.toString();
  return `${location.pathname}${query ? `?${query}` : ''}`;
}

/** The as-of day, updated when the address changes (the app's links fire popstate). */
export function useAsOf(): string | null {
  const [day, setDay] = useState(currentAsOf);
  useEffect(() => {
    const onPop = () => setDay(currentAsOf());
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  return day;
}
