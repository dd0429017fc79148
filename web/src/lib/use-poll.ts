// Load a view's data through the query cache, then again every few seconds while the page is
// visible: live updates without reloading. TanStack Query pauses the interval while the tab is
// hidden and loads again at once when it shows; two views asking for one key share one request.
import { useQuery, type QueryKey } from '@tanstack/react-query';
import { errorMessage } from '../api.ts';

export interface Polled<T> {
  readonly data: T | undefined;
  readonly error: string | null;
  /** Load again now (after a change the user made). */
  readonly reload: () => void;
}

/**
 * `key` names the data (see `keys` in queries.ts: start it with the prefix a change invalidates);
 * `intervalMs` 0 loads it once, and again only when the tab shows or a change invalidates it.
 */
export function usePoll<T>(
  key: QueryKey,
  load: (signal: AbortSignal) => Promise<T>,
  intervalMs = 2500,
): Polled<T> {
  const query = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => load(signal),
    refetchInterval: intervalMs > 0 ? intervalMs : false,
  });
  return {
    data: query.data,
    error: query.error ? errorMessage(query.error) : null,
    reload: () => void query.refetch(),
  };
}
