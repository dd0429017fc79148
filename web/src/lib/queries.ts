// The UI's server data lives in one TanStack Query cache: a view asks for it by key (usePoll), a
// change the user makes marks the keys it touched stale (useInvalidate, useChange), and every view
// showing one of them loads it again. Keys are prefixes: everything of one DAG is under dag(id).
import { QueryClient, useQueryClient, type QueryKey } from '@tanstack/react-query';

export const keys = {
  /** The DAG list (and its pause states, last and next runs). */
  dags: ['dags'],
  /** One DAG and all that hangs off it: its detail, grid, runs, task instances, tries, checks, stats. */
  dag: (dagId: string) => ['dag', dagId],
  importErrors: ['import-errors'],
  /** Backfills, of every DAG or one (a prefix of both). */
  backfills: ['backfills'],
  pools: ['pools'],
  connections: ['connections'],
  users: ['users'],
  /** The audit log, a page per filter and offset. */
  audit: ['audit'],
  /** The warehouse explorer's tables, pages of rows and Sparkify's analyses. */
  warehouse: ['warehouse'],
} as const satisfies Record<string, QueryKey | ((...args: string[]) => QueryKey)>;

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // An error is shown at once and the next poll tries again, as before: no hidden retries.
        retry: false,
        // Shown again when the tab is back, at once (refetchOnWindowFocus listens to visibilitychange).
        refetchOnWindowFocus: true,
        refetchIntervalInBackground: false,
      },
    },
  });
}

/** Marks keys stale (each a prefix): the views showing them load again now. */
export function useInvalidate(): (...stale: QueryKey[]) => void {
  const client = useQueryClient();
  return (...stale) => {
    for (const queryKey of stale) void client.invalidateQueries({ queryKey });
  };
}
