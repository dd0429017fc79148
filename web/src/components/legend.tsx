import { TASK_STATES, stateLabel } from '../lib/states.ts';

/** The states' colours; `deadlines`: also what a ring around a run means. */
export function Legend({ deadlines = false }: { deadlines?: boolean }) {
  return (
    <ul className="legend" aria-label="State colours" data-testid="legend">
      {TASK_STATES.map((state) => (
        <li key={state}>
          <span className={`swatch state-${state}`} aria-hidden="true" />
          {stateLabel(state)}
        </li>
      ))}
      {deadlines && (
        <li>
          <span className="swatch deadline-missed" aria-hidden="true" />
          ringed run: missed its deadline
        </li>
      )}
    </ul>
  );
}
