// Calls a function every few seconds while a condition holds, and stops when it no longer does or the page leaves.
import { useEffect, useRef } from 'react';

export function usePolling(active: boolean, intervalMs: number, poll: () => Promise<unknown> | void): void {
  const latest = useRef(poll);
  latest.current = poll;

  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Each call waits for the previous one, so a slow answer never piles requests up.
    const tick = async () => {
      try {
        await latest.current();
      } catch {
        // The poll's own state shows the failure; the next tick tries again.
      }
      if (!stopped) timer = setTimeout(tick, intervalMs);
    };
    timer = setTimeout(tick, intervalMs);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [active, intervalMs]);
}
