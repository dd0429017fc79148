// A change the user asks for (add, set, delete): one at a time, its error shown, the data it
// touched loaded again when it went through (the query keys it marks stale).
import type { QueryKey } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../api.ts';
import { useInvalidate } from './queries.ts';

export interface Change {
  /** Makes the change; true when it went through. */
  readonly run: (change: () => Promise<unknown>) => Promise<boolean>;
  readonly error: string | null;
  readonly busy: boolean;
}

export function useChange(...touches: QueryKey[]): Change {
  const invalidate = useInvalidate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (change: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await change();
      invalidate(...touches);
      return true;
    } catch (failure) {
      setError(errorMessage(failure));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { run, error, busy };
}
