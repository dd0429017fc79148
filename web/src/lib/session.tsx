// Who is logged in and the CSRF token, loaded once on start and shared with every view.
import { createContext, useContext } from 'react';
import type { Session } from '../api.ts';

export const SessionContext = createContext<Session>({ username: '', role: 'viewer', csrf_token: '' });

export function useSession(): Session {
  return useContext(SessionContext);
}
