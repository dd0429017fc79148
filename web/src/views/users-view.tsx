import { useState, type FormEvent } from 'react';
import { api, type Role } from '../api.ts';
import { PasswordReset } from './password-reset.tsx';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorBanner, Loading } from '../components/error-banner.tsx';
import { shortDate } from '../lib/format.ts';
import { useSession } from '../lib/session.tsx';
import { useChange } from '../lib/use-change.ts';
import { keys } from '../lib/queries.ts';
import { usePoll } from '../lib/use-poll.ts';
import { useTitle } from '../lib/use-title.ts';

const ROLES: readonly Role[] = ['viewer', 'op', 'admin'];

/**
 * Users (admins only): add one with a role and password, change a role, reset a password, delete.
 * Each change but adding ends that user's sessions and API tokens, as the page says.
 */
export function UsersView() {
  useTitle('Users');
  const me = useSession().username;
  const users = usePoll(keys.users, (signal) => api.users(signal), 10_000);
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [password, setPassword] = useState('');
  const { run, error, busy } = useChange(keys.users);
  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (await run(() => api.addUser({ username: username.trim(), role, password }))) {
      setUsername('');
      setPassword('');
    }
  };

  return (
    <main>
      <h1>Users</h1>
      <p className="muted">
        A viewer reads everything but connections; an op also triggers, clears, marks, pauses, backfills and
        changes pools; an admin also manages connections and users. Changing a role or password, or deleting a
        user, logs that user out everywhere and ends their API tokens.
      </p>
      <form
        className="card form-grid"
        onSubmit={(event) => void add(event)}
        aria-labelledby="add-user"
        data-testid="user-form"
      >
        <h2 id="add-user">Add a user</h2>
        <label>
          User name
          <input
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
            autoComplete="off"
            data-testid="user-name"
          />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="user-role">
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label>
          Password
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            minLength={8}
            autoComplete="new-password"
            data-testid="user-password"
          />
        </label>
        <div className="row full">
          <button type="submit" disabled={busy} data-testid="user-add">
            Add user
          </button>
        </div>
        <div className="full">
          <ErrorBanner message={error} />
        </div>
      </form>
      <ErrorBanner message={users.error} />
      {users.data === undefined ? (
        !users.error && <Loading />
      ) : (
        <div className="table-scroll">
          <table data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((user) => (
                <tr key={user.username} data-testid="user-row" data-username={user.username}>
                  <th scope="row">
                    {user.username}
                    {user.username === me && <span className="muted small"> (you)</span>}
                  </th>
                  <td>
                    <select
                      value={user.role}
                      disabled={busy}
                      aria-label={`Role of ${user.username}`}
                      onChange={(e) => void run(() => api.setRole(user.username, e.target.value as Role))}
                      data-testid="user-set-role"
                    >
                      {ROLES.map((r) => (
                        <option key={r}>{r}</option>
                      ))}
                    </select>
                  </td>
                  <td>{shortDate(user.created_at)}</td>
                  <td className="actions">
                    <PasswordReset
                      username={user.username}
                      busy={busy}
                      onReset={(password) => run(() => api.resetPassword(user.username, password))}
                    />
                    <ConfirmButton
                      label="Delete"
                      question={`Delete ${user.username}, ending their sessions and tokens?`}
                      onConfirm={async () => void (await run(() => api.deleteUser(user.username)))}
                      testId="user-delete"
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}
