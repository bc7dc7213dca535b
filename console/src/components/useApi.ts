// Loads one API path for a page: data, error and loading, refetched on reload() or when the path changes.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api.ts';

export function useApi<T>(path: string | null): {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
} {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(path !== null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (path === null) {
      setData(undefined);
      setError(undefined);
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    api<T>(path, { signal: controller.signal })
      .then((answer) => {
        if (controller.signal.aborted) return;
        setData(answer);
        setLoading(false);
      })
      .catch((failure: unknown) => {
        if (controller.signal.aborted) return;
        setError(failure);
        setLoading(false);
      });
    return () => controller.abort();
  }, [path, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { data, error, loading, reload };
}
