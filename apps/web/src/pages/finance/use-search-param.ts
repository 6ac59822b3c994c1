import { useState } from 'preact/hooks';

/**
 * A filter kept in the address (`?name=value`), so a page can be bookmarked or shared; changing it
 * replaces the address without a new history entry.
 */
export function useSearchParam(name: string): [string, (value: string) => void] {
  const [value, setValue] = useState(() => new URLSearchParams(location.search).get(name) ?? '');
  const set = (v: string) => {
    const params = new URLSearchParams(location.search);
    if (v) params.set(name, v);
    else params.delete(name);
    const search = params.toString();
    history.replaceState(null, '', `${location.pathname}${search ? `?${search}` : ''}`);
    setValue(v);
  };
  return [value, set];
}
