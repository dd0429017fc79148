// Load a view's data, then again every few seconds while the page is visible: live updates
// without reloading. Polling pauses while the tab is hidden and resumes at once when it shows.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api.ts';

export interface Polled<T> {
  readonly data: T | undefined;
  readonly error: string | null;
  /** Load again now (after a change the user made). */
  readonly reload: () => void;
}

export function usePoll<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
  intervalMs = 2500,
): Polled<T> {
  const [state, setState] = useState<{ data: T | undefined; error: string | null }>({
    data: undefined,
    error: null,
  });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    setState({ data: undefined, error: null });
  }, deps);

  useEffect(() => {
    const controller = new AbortController();
    let timer: number | undefined;
    let stopped = false;
    const run = async () => {
      window.clearTimeout(timer);
      if (stopped || document.hidden) return;
      try {
        const data = await loadRef.current(controller.signal);
        if (!stopped) setState({ data, error: null });
      } catch (error) {
        if (!stopped) setState((old) => ({ data: old.data, error: errorMessage(error) }));
      }
      if (!stopped && intervalMs > 0) timer = window.setTimeout(() => void run(), intervalMs);
    };
    const onVisible = () => {
      if (!document.hidden) void run();
    };
    document.addEventListener('visibilitychange', onVisible);
    void run();
    return () => {
      stopped = true;
      controller.abort();
      window.clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [...deps, tick, intervalMs]);

  return { data: state.data, error: state.error, reload };
}
