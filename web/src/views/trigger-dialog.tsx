import { useRef, useState, type FormEvent } from 'react';
import { api, errorMessage, type DagParam, type DagRun } from '../api.ts';
import { fromInputValue, toInputValue } from '../lib/format.ts';
import { Link, path } from '../lib/router.tsx';
import { confOf, initialValues, ParamFields, type ParamValue } from './param-fields.tsx';

interface Props {
  readonly dagId: string;
  readonly onTriggered: () => void;
}

/**
 * The trigger button and its dialog: a logical date (UTC, default now) and the DAG's params as a
 * form (their defaults filled in), then a new manual run.
 */
export function TriggerDialog({ dagId, onTriggered }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [date, setDate] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<DagRun | null>(null);
  const [busy, setBusy] = useState(false);
  const [params, setParams] = useState<Readonly<Record<string, DagParam>>>({});
  const [values, setValues] = useState<Record<string, ParamValue>>({});

  const open = () => {
    setDate(toInputValue(new Date()));
    setError(null);
    setCreated(null);
    dialog.current?.showModal();
    api
      .dag(dagId)
      .then((detail) => {
        setParams(detail.params);
        setValues(initialValues(detail.params));
      })
      .catch((failure: unknown) => setError(errorMessage(failure)));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const logicalDate = fromInputValue(date);
    if (logicalDate === null) {
      setError('Give a logical date.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setCreated(await api.trigger(dagId, { logical_date: logicalDate, conf: confOf(params, values) }));
      onTriggered();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const inputId = `trigger-date-${dagId}`;
  return (
    <>
      <button type="button" onClick={open} data-testid="trigger-button" aria-label={`Trigger ${dagId}`}>
        Trigger
      </button>
      <dialog
        ref={dialog}
        className="dialog"
        aria-labelledby={`${inputId}-title`}
        data-testid="trigger-dialog"
      >
        <form onSubmit={(event) => void submit(event)}>
          <h2 id={`${inputId}-title`}>Trigger {dagId}</h2>
          <label htmlFor={inputId}>Logical date (UTC)</label>
          <input
            id={inputId}
            type="datetime-local"
            value={date}
            onChange={(event) => setDate(event.target.value)}
            data-testid="trigger-date"
            required
          />
          <ParamFields
            dagId={dagId}
            params={params}
            values={values}
            onChange={(name, value) => setValues((current) => ({ ...current, [name]: value }))}
          />
          {error && (
            <p className="error" role="alert" data-testid="trigger-error">
              {error}
            </p>
          )}
          {created && (
            <p className="ok" role="status" data-testid="trigger-created">
              Created <Link to={path('dags', dagId, 'runs', created.dag_run_id)}>{created.dag_run_id}</Link>
            </p>
          )}
          <div className="row">
            <button type="submit" disabled={busy} data-testid="trigger-submit">
              Trigger run
            </button>
            <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
              Close
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
