import { useEffect, useState } from 'preact/hooks';
import type { ProjectAnswer } from '../../overview-data';
import { isUnavailable, projectBase, read } from './partner-api';

export type Loaded<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'unavailable' }
  | { readonly state: 'failed'; readonly message: string }
  | { readonly state: 'ready'; readonly data: T };

/** Loads once per key (and again on retry); 403/404/422 become "unavailable", never a half page. */
export function useLoad<T>(load: () => Promise<T>, key: string): [Loaded<T>, () => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setLoaded({ state: 'loading' });
    load()
      .then((data) => live && setLoaded({ state: 'ready', data }))
      .catch((e: unknown) => {
        if (!live) return;
        if (isUnavailable(e)) setLoaded({ state: 'unavailable' });
        else setLoaded({ state: 'failed', message: e instanceof Error ? e.message : String(e) });
      });
    return () => {
      live = false;
    };
  }, [key, attempt]);
  return [loaded, () => setAttempt(attempt + 1)];
}

/** The partner's name from the project definition (its id until then, or when the definition does not name it). */
export function usePartnerName(code: string, partnerId: string): string {
  const [name, setName] = useState(partnerId);
  useEffect(() => {
    void read<ProjectAnswer>(projectBase(code)).then((p) =>
      setName(p.partners.find((x) => x.id === partnerId)?.name ?? partnerId),
    );
  }, [code, partnerId]);
  return name;
}
