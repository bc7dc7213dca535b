// The voice page's live data: the recordings (watched while any is being checked) and the training status.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api.ts';
import { usePolling } from './usePolling.ts';
import { voicePath, type SampleList, type VoiceStatus } from './types.ts';

/** Both are watched at the pace the status route is meant to be read. */
export const POLL_MS = 2_000;
/** A registered sample whose upload never arrived stays pending; after its form expired it is not waited on. */
const PENDING_WATCH_MS = 15 * 60 * 1000;

interface Live<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): Promise<void>;
}

function useLive<T>(path: string): Live<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const current = useRef(path);
  current.current = path;

  const reload = useCallback(async () => {
    const asked = path;
    try {
      const answer = await api<T>(asked);
      if (current.current !== asked) return;
      setData(answer);
      setError(undefined);
    } catch (failure) {
      if (current.current !== asked) return;
      setError(failure);
    } finally {
      if (current.current === asked) setLoading(false);
    }
  }, [path]);

  useEffect(() => {
    setLoading(true);
    setData(undefined);
    void reload();
  }, [reload]);

  return { data, error, loading, reload };
}

export function useSamples(personalityId: string): Live<SampleList> {
  const live = useLive<SampleList>(`${voicePath(personalityId)}/samples`);
  const waiting =
    live.data?.samples.some(
      (sample) =>
        sample.status === 'pending' && Date.now() - Date.parse(sample.created_at) < PENDING_WATCH_MS,
    ) ?? false;
  usePolling(waiting, POLL_MS, live.reload);
  return live;
}

export function useVoiceStatus(personalityId: string): Live<VoiceStatus> {
  const live = useLive<VoiceStatus>(`${voicePath(personalityId)}/status`);
  usePolling(live.data?.status === 'training', POLL_MS, live.reload);
  return live;
}
