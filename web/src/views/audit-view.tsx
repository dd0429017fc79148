import { useState, type FormEvent } from 'react';
import { AUDIT_ACTIONS } from '../../../src/store/admin/audit-actions.ts';
import { api, type AuditAction } from '../api.ts';
import { ErrorBanner, Loading } from '../components/error-banner.tsx';
import { fromInputValue, longDate } from '../lib/format.ts';
import { keys } from '../lib/queries.ts';
import { usePoll } from '../lib/use-poll.ts';
import { useTitle } from '../lib/use-title.ts';

const PAGE = 100;

interface Filters {
  readonly username: string;
  readonly action: AuditAction | '';
  readonly object: string;
  readonly after: string;
  readonly before: string;
}

const NONE: Filters = { username: '', action: '', object: '', after: '', before: '' };

/**
 * The audit log (admins only): every change made through the API, this UI or the CLI, and the
 * logins and failed logins, newest first; filtered by user, action, object and time, a page at a
 * time. Secrets were masked before they were stored.
 */
export function AuditView() {
  useTitle('Audit log');
  const [draft, setDraft] = useState<Filters>(NONE);
  const [filters, setFilters] = useState<Filters>(NONE);
  const [offset, setOffset] = useState(0);
  const log = usePoll(
    [...keys.audit, filters, offset],
    (signal) =>
      api.eventLogs(
        {
          username: filters.username.trim(),
          action: filters.action,
          object: filters.object.trim(),
          after: fromInputValue(filters.after),
          before: fromInputValue(filters.before),
          limit: PAGE,
          offset,
        },
        signal,
      ),
    10_000,
  );
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters(draft);
    setOffset(0);
  };
  const field = (name: keyof Filters) => ({
    value: draft[name],
    onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [name]: e.target.value }),
  });
  const items = log.data?.items;

  return (
    <main>
      <h1>Audit log</h1>
      <p className="muted">
        Every change made through the API, this UI or the <code>downbeat</code> command (address{' '}
        <code>cli</code>), and every login and failed login, newest first. Secrets are shown as{' '}
        <code>***</code>: they were never stored. Old rows go with <code>downbeat db clean</code>.
      </p>
      <form
        className="card form-grid"
        onSubmit={apply}
        aria-label="Filter the audit log"
        data-testid="audit-filters"
      >
        <label>
          User
          <input {...field('username')} autoComplete="off" data-testid="audit-user" />
        </label>
        <label>
          Action
          <select {...field('action')} data-testid="audit-action">
            <option value="">any</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label>
          Object (and what is under it)
          <input {...field('object')} placeholder="a DAG, dag/run, a user…" data-testid="audit-object" />
        </label>
        <label>
          From (UTC)
          <input type="datetime-local" {...field('after')} data-testid="audit-after" />
        </label>
        <label>
          Before (UTC)
          <input type="datetime-local" {...field('before')} data-testid="audit-before" />
        </label>
        <div className="row full">
          <button type="submit" data-testid="audit-apply">
            Filter
          </button>
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setDraft(NONE);
              setFilters(NONE);
              setOffset(0);
            }}
          >
            Clear filters
          </button>
        </div>
      </form>
      <ErrorBanner message={log.error} />
      {items === undefined ? (
        !log.error && <Loading />
      ) : items.length === 0 ? (
        <p className="muted" data-testid="audit-empty">
          {offset > 0 ? 'No more rows.' : 'Nothing recorded matches.'}
        </p>
      ) : (
        <div className="table-scroll">
          <table data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">User</th>
                <th scope="col">From</th>
                <th scope="col">Action</th>
                <th scope="col">Object</th>
                <th scope="col">Fields</th>
              </tr>
            </thead>
            <tbody>
              {items.map((row, i) => (
                <tr key={`${row.when}-${offset + i}`} data-testid="audit-row" data-action={row.action}>
                  <td>{longDate(row.when)}</td>
                  <td>{row.username || <span className="muted">unknown</span>}</td>
                  <td>{row.address}</td>
                  <td>
                    <code>{row.action}</code>
                  </td>
                  <td>{row.object}</td>
                  <td>
                    <code className="small">{JSON.stringify(row.fields)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="row">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          Newer
        </button>
        <span className="muted small">
          {items && items.length > 0 ? `rows ${offset + 1}–${offset + items.length}` : ''}
        </span>
        <button
          type="button"
          disabled={(items?.length ?? 0) < PAGE}
          onClick={() => setOffset(offset + PAGE)}
          data-testid="audit-older"
        >
          Older
        </button>
      </div>
    </main>
  );
}
