import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { ErrorBanner, Loading } from '../components/error-banner.tsx';
import { useChange } from '../lib/use-change.ts';
import { keys } from '../lib/queries.ts';
import { usePoll } from '../lib/use-poll.ts';
import { useTitle } from '../lib/use-title.ts';

/** Named endpoints and credentials: listed with secrets masked, added, deleted. */
export function ConnectionsView() {
  useTitle('Connections');
  const connections = usePoll(keys.connections, (signal) => api.connections(signal), 5000);
  const [id, setId] = useState('');
  const [uri, setUri] = useState('');
  const { run, error, busy } = useChange(keys.connections, keys.warehouse);
  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (await run(() => api.addConnection({ connection_id: id.trim(), uri: uri.trim() }))) {
      setId('');
      setUri('');
    }
  };

  return (
    <main>
      <h1>Connections</h1>
      <form
        className="card form-grid"
        onSubmit={(event) => void add(event)}
        aria-labelledby="add-conn"
        data-testid="connection-form"
      >
        <h2 id="add-conn">Add a connection</h2>
        <label>
          Connection id
          <input
            value={id}
            onChange={(e) => setId(e.target.value)}
            required
            autoComplete="off"
            data-testid="connection-id"
          />
        </label>
        <label className="wide">
          URI
          <input
            value={uri}
            onChange={(e) => setUri(e.target.value)}
            required
            autoComplete="off"
            spellCheck={false}
            placeholder="postgres://user:password@host:5432/db"
            data-testid="connection-uri"
          />
        </label>
        <div className="row full">
          <button type="submit" disabled={busy} data-testid="connection-add">
            Add connection
          </button>
        </div>
        <div className="full">
          <ErrorBanner message={error} />
        </div>
      </form>
      <ErrorBanner message={connections.error} />
      {connections.data === undefined ? (
        !connections.error && <Loading />
      ) : connections.data.items.length === 0 ? (
        <p className="muted">No connections.</p>
      ) : (
        <div className="table-scroll">
          <table data-testid="connections-table">
            <thead>
              <tr>
                <th scope="col">Connection</th>
                <th scope="col">URI</th>
                <th scope="col">Source</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {connections.data.items.map((conn) => (
                <tr
                  key={conn.connection_id}
                  data-testid="connection-row"
                  data-connection-id={conn.connection_id}
                >
                  <th scope="row" className="mono">
                    {conn.connection_id}
                  </th>
                  <td className="mono break">{conn.uri}</td>
                  <td>{conn.source === 'stored' ? 'metadata DB' : 'environment'}</td>
                  <td>
                    {conn.source === 'stored' ? (
                      <button
                        type="button"
                        className="danger"
                        disabled={busy}
                        onClick={() => void run(() => api.deleteConnection(conn.connection_id))}
                        aria-label={`Delete ${conn.connection_id}`}
                        data-testid="connection-delete"
                      >
                        Delete
                      </button>
                    ) : (
                      <span className="muted small">set by DOWNBEAT_CONN_</span>
                    )}
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
