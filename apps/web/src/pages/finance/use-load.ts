import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api';

export interface Loaded<T> {
  readonly data: T | null;
  readonly failed: string | null;
  /** The API refused (403) or did not know what was asked (404, or 422 for an unknown partner). */
  readonly notAvailable: boolean;
  readonly reload: () => void;
}

/** A read that runs again when `deps` change or on reload(); the last answer wins. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [notAvailable, setNotAvailable] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    setFailed(null);
    load()
      .then((d) => {
        if (!current) return;
        setData(d);
        setNotAvailable(false);
      })
      .catch((e: unknown) => {
        if (!current) return;
        if (e instanceof ApiError && [403, 404, 422].includes(e.status)) setNotAvailable(true);
        else setFailed(e instanceof Error ? e.message : String(e));
      });
    return () => {
      current = false;
    };
  }, [...deps, attempt]);
  return { data, failed, notAvailable, reload: () => setAttempt((a) => a + 1) };
}
