// Who is logged in, their role and the CSRF token, loaded once on start and shared with every view.
import { createContext, useContext } from 'react';
import type { Role, Session } from '../api.ts';

export const SessionContext = createContext<Session>({ username: '', role: 'viewer', csrf_token: '' });

export function useSession(): Session {
  return useContext(SessionContext);
}

const RANK: Record<Role, number> = { viewer: 0, op: 1, admin: 2 };

/**
 * Whether the logged-in user's role is at least `role`: the UI hides what the server would refuse
 * (the server's table, src/server/auth/route-roles.ts, decides).
 */
export function useMay(role: Role): boolean {
  return RANK[useSession().role] >= RANK[role];
}
