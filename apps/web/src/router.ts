import { useEffect, useState } from 'preact/hooks';
import { pageHref } from './as-of';

/** The path the app shows; links call navigate() instead of reloading the page. */
export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const onPop = () => setPath(location.pathname);
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  return path;
}

export function navigate(to: string): void {
  if (to === location.pathname + location.search) return;
  history.pushState(null, '', to);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** A plain link that the app follows itself (a new tab, or a modified click, still works). */
export function onLinkClick(e: MouseEvent): void {
  const a = e.currentTarget as HTMLAnchorElement;
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  // A picked as-of day stays on while moving between pages.
  navigate(pageHref(a.getAttribute('href') ?? '/'));
}
