interface Props {
  readonly dagId: string;
  readonly paused: boolean;
  readonly busy: boolean;
  /** Without it (a viewer's), the state is shown and cannot be switched. */
  readonly onToggle: (() => void) | undefined;
}

/** A switch that is on while the DAG is active (unpaused), as in Airflow. */
export function PauseToggle({ dagId, paused, busy, onToggle }: Props) {
  if (!onToggle)
    return (
      <span className="switch-text" data-testid="pause-state">
        {paused ? 'Paused' : 'Active'}
      </span>
    );
  return (
    <button
      type="button"
      role="switch"
      aria-checked={!paused}
      aria-label={`${dagId} active`}
      title={paused ? `Unpause ${dagId}` : `Pause ${dagId}`}
      className="switch"
      data-testid="pause-toggle"
      disabled={busy}
      onClick={onToggle}
    >
      <span className="switch-track" aria-hidden="true">
        <span className="switch-thumb" />
      </span>
      <span className="switch-text">{paused ? 'Paused' : 'Active'}</span>
    </button>
  );
}
