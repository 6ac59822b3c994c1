import { useEffect, useState } from 'preact/hooks';

/** The address's query, updated on the app's navigations (usePath follows the path only). */
export function useSearch(): string {
  const [search, setSearch] = useState(location.search);
  useEffect(() => {
    const onPop = () => setSearch(location.search);
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  return search;
}
