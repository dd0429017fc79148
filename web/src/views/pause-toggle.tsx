interface Props {
  readonly dagId: string;
  readonly paused: boolean;
  readonly busy: boolean;
  readonly onToggle: () => void;
}

/** A switch that is on while the DAG is active (unpaused), as in Airflow. */
export function PauseToggle({ dagId, paused, busy, onToggle }: Props) {
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
